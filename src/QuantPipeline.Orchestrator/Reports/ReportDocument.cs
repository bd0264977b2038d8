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

    /// <summary>PSI level drawn as the warning line of the PSI chart.</summary>
    public double PsiWarn { get; init; } = 0.1;

    /// <summary>PSI level drawn as the alert line of the PSI chart.</summary>
    public double PsiAlert { get; init; } = 0.2;

    /// <summary>Periods in the trailing mean drawn over the IC and Rank IC series.</summary>
    public int IcRollingWindow { get; init; } = 21;

    /// <summary>Text shown above the monitoring charts (which model, which reference, which window).</summary>
    public string? MonitoringSummary { get; init; }

    /// <summary>Drift figures (PSI, KS, JS …) per feature and for the predictions, shown in the monitoring section.</summary>
    public ReportTable? DriftTable { get; init; }

    public IReadOnlyList<ReportTable> Tables { get; init; } = [];

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];
}
