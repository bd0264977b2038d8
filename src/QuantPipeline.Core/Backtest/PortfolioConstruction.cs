namespace QuantPipeline.Core.Backtest;

/// <summary>How a cross-section of predictions becomes target weights.</summary>
public enum PortfolioConstruction
{
    /// <summary>Long the top quantile, short the bottom quantile, equal weight per side.</summary>
    LongShortQuantile,

    /// <summary>Weights proportional to the centred cross-sectional rank (or to the rank itself when not dollar-neutral).</summary>
    RankWeighted,

    /// <summary>Long the top k names, equal weight.</summary>
    LongOnlyTopK,
}
