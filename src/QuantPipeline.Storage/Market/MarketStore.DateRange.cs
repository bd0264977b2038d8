namespace QuantPipeline.Storage.Market;

public sealed partial class MarketStore
{
    /// <summary>The first and last dates with a stored daily bar, or null for a store without daily bars.</summary>
    public (DateOnly First, DateOnly Last)? DailyDateRange()
    {
        using var cmd = Command("SELECT min(date), max(date) FROM daily_bars");
        using var reader = cmd.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0))
        {
            return null;
        }

        return (DateOnly.FromDateTime(ToUtcDate(reader.GetValue(0))), DateOnly.FromDateTime(ToUtcDate(reader.GetValue(1))));
    }
}
