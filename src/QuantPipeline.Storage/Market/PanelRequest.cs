namespace QuantPipeline.Storage.Market;

/// <summary>
/// What a point-in-time query can see: the market range, the knowledge time, the symbols (explicit,
/// a universe, or all with bars), the fields, and the date back-adjustment is computed as of.
/// </summary>
public sealed record PanelRequest
{
    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public BarFrequency Frequency { get; init; } = BarFrequency.Daily;

    /// <summary>Calendar whose sessions (daily) or session minutes (intraday) are the panel's timestamps.</summary>
    public string Calendar { get; init; } = "XNYS";

    public IReadOnlyList<string> Fields { get; init; } = BarFields.All;

    /// <summary>Only facts with available_at at or before this UTC time are visible; default: everything stored.</summary>
    public DateTime KnownAt { get; init; } = MarketStore.Latest;

    /// <summary>Explicit symbols (panel columns in this order); null: the universe's members or every symbol with bars.</summary>
    public IReadOnlyList<string>? Symbols { get; init; }

    /// <summary>Universe whose members over the range become columns, with the membership mask set per date.</summary>
    public string? Universe { get; init; }

    /// <summary>Back-adjust prices and volumes for corporate actions known (announced and ex) by this date; null: raw.</summary>
    public DateOnly? AdjustAsOf { get; init; }

    /// <summary>A canonical text form of the request: the input to its snapshot id.</summary>
    public string Describe() => string.Join(
        "|",
        "v1",
        Frequency,
        Calendar.ToUpperInvariant(),
        From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        KnownAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        "fields=" + string.Join(",", Fields),
        "symbols=" + (Symbols is null ? "*" : string.Join(",", Symbols)),
        "universe=" + (Universe ?? "*"),
        "adjust=" + (AdjustAsOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "raw"));
}
