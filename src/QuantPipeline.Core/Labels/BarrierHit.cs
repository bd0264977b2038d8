namespace QuantPipeline.Core.Labels;

/// <summary>Which barrier of a triple-barrier label was touched first.</summary>
public enum BarrierHit : sbyte
{
    /// <summary>Not known: no volatility estimate yet, or the horizon reaches past the data (or the as-of date).</summary>
    None = 0,
    ProfitTake = 1,
    StopLoss = 2,
    Vertical = 3,
}
