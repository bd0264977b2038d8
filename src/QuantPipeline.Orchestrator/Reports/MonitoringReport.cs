using System.Globalization;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Monitoring;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>
/// Turns monitoring history (one or more <see cref="MonitoringResult"/>s of <see cref="ModelMonitor"/>, e.g. one per
/// day) into report series and the monitoring report: PSI over time per feature and for the predictions, realised
/// IC and Rank IC over time, and the live long-short returns (equity and drawdown). Where runs overlap, the figure
/// of the run with the later as-of date wins, so a date always shows what the latest monitoring knew.
/// </summary>
public static class MonitoringReport
{
    /// <summary>PSI over time, one series per watched name, in the order the latest run lists them.</summary>
    public static IReadOnlyList<ReportSeries> PsiSeries(IReadOnlyList<MonitoringResult> history)
    {
        var points = new Dictionary<string, SortedDictionary<DateOnly, double>>();
        var order = new List<string>();
        foreach (var result in Ordered(history))
        {
            if (result.PsiHistory is { } h)
            {
                for (var i = 0; i < h.Names.Count; i++)
                {
                    for (var s = 0; s < h.Sessions.Count; s++)
                    {
                        Series(points, h.Names[i])[h.Sessions[s]] = h.Psi[i][s];
                    }
                }
            }

            foreach (var d in result.Drift)
            {
                Series(points, d.Name)[result.DriftTo] = d.Psi;
            }

            order = [.. result.Drift.Select(d => d.Name).Concat(order).Distinct()];
        }

        return [.. order.Select(name => ToSeries(name, points[name]))];
    }

    /// <summary>Realised daily IC and Rank IC of the production model over every labelled session the runs cover.</summary>
    public static (ReportSeries Ic, ReportSeries RankIc) IcSeries(IReadOnlyList<MonitoringResult> history)
    {
        var ic = new SortedDictionary<DateOnly, double>();
        var rankIc = new SortedDictionary<DateOnly, double>();
        foreach (var result in Ordered(history))
        {
            var decay = result.Decay;
            for (var i = 0; i < decay.Sessions.Count; i++)
            {
                ic[decay.Sessions[i]] = decay.DailyIc[i];
                rankIc[decay.Sessions[i]] = decay.DailyRankIc[i];
            }
        }

        return (ToSeries("realised IC", ic), ToSeries("realised Rank IC", rankIc));
    }

    /// <summary>Net long-short return earned on each labelled session's signal.</summary>
    public static ReportSeries PnlSeries(IReadOnlyList<MonitoringResult> history)
    {
        var pnl = new SortedDictionary<DateOnly, double>();
        foreach (var result in Ordered(history))
        {
            for (var i = 0; i < result.Decay.Sessions.Count; i++)
            {
                pnl[result.Decay.Sessions[i]] = result.Decay.Pnl[i];
            }
        }

        return ToSeries("live long-short net return", pnl);
    }

    /// <summary>The monitoring report of the latest run, with every series drawn over the whole history.</summary>
    public static ReportDocument Build(IReadOnlyList<MonitoringResult> history, MonitorOptions? options = null, RetrainDecision? decision = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("A monitoring report needs at least one monitoring result; run qp monitor first.", nameof(history));
        }

        options ??= new MonitorOptions();
        var latest = Ordered(history)[^1];
        var (ic, rankIc) = IcSeries(history);
        var c = CultureInfo.InvariantCulture;
        var decay = latest.Decay;
        var tables = new List<ReportTable>
        {
            new(
                string.Create(c, $"Drift at {latest.AsOf:yyyy-MM-dd} (window {latest.DriftFrom:yyyy-MM-dd}..{latest.DriftTo:yyyy-MM-dd}; JS distance in base 2)"),
                ["name", "PSI", "level", "KS D", "KS p", "JS distance", "missing now", "missing change"],
                [.. latest.Drift.Select(d => (IReadOnlyList<string>)
                [
                    d.Name, N(d.Psi, "0.0000"), d.PsiLevel.ToString().ToLowerInvariant(), N(d.KsStatistic, "0.0000"), N(d.KsPValue, "0.00E+0"),
                    N(d.JsDistance, "0.0000"), N(d.CurrentMissingRate, "0.0%"), N(d.MissingRateChange, "+0.0%;-0.0%;0.0%"),
                ])]),
        };
        if (latest.Alerts.Count > 0)
        {
            tables.Add(new ReportTable(
                "Alerts",
                ["severity", "kind", "subject", "value", "threshold", "message"],
                [.. latest.Alerts.Select(a => (IReadOnlyList<string>)[a.Severity.ToString().ToLowerInvariant(), a.Kind, a.Subject, N(a.Value, "0.####"), N(a.Threshold, "0.####"), a.Message])]));
        }

        tables.Add(new ReportTable(
                "Data quality",
                ["check", "finding"],
                [
                    ["missing sessions", latest.DataQuality.MissingSessions.Count == 0 ? "none" : string.Join(", ", latest.DataQuality.MissingSessions.Select(d => d.ToString("yyyy-MM-dd", c)))],
                    ["last data", latest.DataQuality.LastObserved?.ToString("yyyy-MM-dd", c) ?? "none"],
                    ["universe", string.Create(c, $"{latest.DataQuality.UniverseSize} of a peak of {latest.DataQuality.UniversePeak}{(latest.DataQuality.UniverseShrunk ? " (shrunk)" : "")}")],
                    ["NaN bursts", latest.DataQuality.NanBursts.Count.ToString(c)],
                    ["price jumps", latest.DataQuality.PriceJumps.Count.ToString(c)],
                ]));
        if (decision is not null)
        {
            tables.Add(new ReportTable("Retrain decision", ["retrain", "reasons"], [[decision.Retrain ? "due" : "not due", string.Join("; ", decision.Reasons)]]));
        }

        return new ReportDocument
        {
            Title = string.Create(c, $"Monitoring: {latest.ModelName} v{latest.ModelVersion} at {latest.AsOf:yyyy-MM-dd}"),
            Lineage = new Dictionary<string, string>
            {
                ["model"] = latest.ModelName,
                ["version"] = latest.ModelVersion.ToString(c),
                ["trained as of"] = latest.ModelAsOf.ToString("yyyy-MM-dd", c),
                ["monitored as of"] = latest.AsOf.ToString("yyyy-MM-dd", c),
                ["monitoring runs"] = history.Count.ToString(c),
            },
            Metrics =
            [
                new("mean_ic", decay.MeanIc),
                new("validation_ic_mean", decay.ValidationIcMean),
                new("mean_rank_ic", decay.MeanRankIc),
                new("rolling_ic", decay.RollingIc.Length > 0 ? decay.RollingIc[^1] : double.NaN),
                new("sharpe_annualised_252", decay.Sharpe),
                new("validation_sharpe", decay.ValidationSharpe),
                new("alerts", latest.Alerts.Count),
            ],
            NetReturns = PnlSeries(history),
            Ic = ic,
            RankIc = rankIc,
            IcRollingWindow = options.RollingWindowSessions,
            Psi = PsiSeries(history),
            PsiWarn = options.Drift.PsiWarn,
            PsiAlert = options.Drift.PsiAlert,
            MonitoringSummary = string.Create(c, $"PSI of the trailing {latest.PsiHistory?.WindowSessions ?? options.DriftWindowSessions}-session window of each feature and of the predictions against the training reference of {latest.ModelName} v{latest.ModelVersion} (trained as of {latest.ModelAsOf:yyyy-MM-dd}). Equity and drawdown are those of the live long-short book on the model's signal, after costs."),
            Tables = tables,
        };
    }

    private static List<MonitoringResult> Ordered(IReadOnlyList<MonitoringResult> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. history.OrderBy(r => r.AsOf)];
    }

    private static SortedDictionary<DateOnly, double> Series(Dictionary<string, SortedDictionary<DateOnly, double>> points, string name)
    {
        if (!points.TryGetValue(name, out var series))
        {
            points[name] = series = [];
        }

        return series;
    }

    private static ReportSeries ToSeries(string name, SortedDictionary<DateOnly, double> points) => new(name, [.. points.Keys], [.. points.Values]);

    private static string N(double value, string format) => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);
}
