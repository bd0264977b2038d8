using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>One variant's metrics and total costs, as a sweep chunk returns them.</summary>
public sealed record SweepVariantResult(BacktestOptions Options, PerformanceMetrics Metrics, double TotalCosts);
