using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>A dated series for a report chart (returns, IC, PSI of one feature, …).</summary>
public sealed record ReportSeries(string Name, IReadOnlyList<DateOnly> Dates, IReadOnlyList<double> Values);

/// <summary>A plain table for a report (per-retrain outcomes, drift per feature, …).</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// Everything one HTML report shows, for a single run or a backfill. Each part is optional; the writer leaves out
/// what is not given. Equity and drawdown are derived from <see cref="NetReturns"/> (simple returns per period).
/// </summary>
public sealed record ReportDocument
{
    public required string Title { get; init; }

    public DateTime GeneratedUtc { get; init; } = DateTime.UtcNow;

    public string? RunId { get; init; }

    /// <summary>The canonical configuration (JSON or YAML text) the run used.</summary>
    public string? ConfigText { get; init; }

    /// <summary>Lineage: data snapshot, feature-set version, config hash, code version, seed, ranges, parent …</summary>
    public IReadOnlyDictionary<string, string> Lineage { get; init; } = new Dictionary<string, string>();

    public GateDecision? Gate { get; init; }

    /// <summary>Named metrics (sharpe, max_drawdown, …) in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Metrics { get; init; } = [];

    /// <summary>Periodic net returns of the (stitched) backtest, from which the equity and drawdown charts are drawn.</summary>
    public ReportSeries? NetReturns { get; init; }

    public ReportSeries? Ic { get; init; }

    public ReportSeries? RankIc { get; init; }

    /// <summary>Monitoring: PSI over time, one series per feature (and one for predictions).</summary>
    public IReadOnlyList<ReportSeries> Psi { get; init; } = [];

    public IReadOnlyList<ReportTable> Tables { get; init; } = [];

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];
}
