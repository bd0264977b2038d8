using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// One production run on a small market, for the registry, deploy, reproduce and monitoring tests: 50 symbols, daily
/// bars on the XNYS sessions of 2021-01-04..2023-12-29, seeded, with a weak short-term reversal, no listing churn and
/// no corporate actions (the same data and numbers as the single-run demo these tests were written against). Seed 3 is
/// one whose last month stays within the training range's volatility, so the drift report shows a clean run.
/// </summary>
public static class SingleRunDemo
{
    public static readonly SyntheticMarketSpec Market = new()
    {
        Symbols = 50,
        From = new DateOnly(2021, 1, 4),
        To = new DateOnly(2023, 12, 29),
        Seed = 3,
        Calendar = "XNYS",
        Frequency = SyntheticFrequency.Daily,
        ListingChurn = 0,
        CorporateActions = false,
        ReversalStrength = 0.03,
    };

    /// <summary>753 XNYS sessions: validation one year (252), training 476, after the 20-session feature lookback and 2 label sessions.</summary>
    public static readonly PipelineConfig Config = new()
    {
        ModelName = "demo_mlp",
        Universe = "synthetic-50",
        TrainingWindowDays = 476,
        ValidationWindowDays = 252,
    };
}
