namespace QuantPipeline.Core.Synthetic;

public enum SyntheticFrequency
{
    Daily,
    Minute,
}

/// <summary>Parameters of <see cref="SyntheticMarket"/>.</summary>
public sealed record SyntheticMarketSpec
{
    public int Symbols { get; init; } = 100;

    public DateOnly From { get; init; } = new(2023, 1, 3);

    public DateOnly To { get; init; } = new(2023, 12, 29);

    public int Seed { get; init; } = 42;

    /// <summary>Calendar name (XNYS, WEEKDAY, 24/7) whose sessions and minutes the bars follow.</summary>
    public string Calendar { get; init; } = "XNYS";

    public SyntheticFrequency Frequency { get; init; } = SyntheticFrequency.Daily;

    /// <summary>Fraction of symbols that list after the start or delist before the end.</summary>
    public double ListingChurn { get; init; } = 0.1;

    /// <summary>Generate splits and cash dividends (with announcement dates ahead of their ex-dates).</summary>
    public bool CorporateActions { get; init; } = true;

    /// <summary>
    /// Strength k of an embedded cross-sectional short-term reversal on daily bars: each session's return gets
    /// −k × (the symbol's return over the previous five sessions, demeaned across the symbols listed that session),
    /// a weak, learnable signal. 0 (the default) leaves the returns untouched; the demo uses 0.0175. Daily bars only.
    /// </summary>
    public double ReversalStrength { get; init; }
}
