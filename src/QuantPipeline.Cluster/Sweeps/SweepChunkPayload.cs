using QuantPipeline.Core.Backtest;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>A chunk of sweep variants over one backtest input panel (fields <c>signal</c>, <c>returns</c>, and optionally <c>open_gap</c>, <c>adv</c>, <c>half_spread_bps</c>).</summary>
public sealed record SweepChunkPayload(string Input, IReadOnlyList<BacktestOptions> Variants, double PeriodsPerYear);
