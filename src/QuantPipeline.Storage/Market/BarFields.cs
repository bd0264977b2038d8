namespace QuantPipeline.Storage.Market;

/// <summary>The numeric fields a bar table stores.</summary>
public static class BarFields
{
    public static readonly IReadOnlyList<string> All = ["open", "high", "low", "close", "volume"];

    public static readonly IReadOnlyList<string> Prices = ["open", "high", "low", "close", "vwap"];

    public static void Check(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            if (!All.Contains(field) && field != "vwap")
            {
                throw new ArgumentException($"Unknown bar field '{field}'; stored fields are open, high, low, close, volume, vwap.", nameof(fields));
            }
        }
    }
}
