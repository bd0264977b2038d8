using System.Globalization;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Reports;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>The HTML report document of a backfill: stitched metrics, per-retrain outcomes, OOS series, configuration and lineage.</summary>
public static class BackfillReport
{
    public static ReportDocument Build(PipelineConfig config, string frequency, BackfillResult result)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var r = result.Report;
        var retrains = result.Retrains;
        var rows = new List<IReadOnlyList<string>>();
        var row = result.Sessions.Select((d, i) => (d, i)).ToDictionary(p => p.d, p => p.i);
        foreach (var o in retrains)
        {
            int from = row[o.TestFrom], to = row[o.TestTo];
            var growth = 1.0;
            for (var i = from; i <= to; i++)
            {
                growth *= 1 + result.NetReturns[i];
            }

            var rankIc = InformationCoefficient.Summarise(result.RankIc.AsSpan(from, to - from + 1)).Mean;
            rows.Add(
            [
                o.Date.ToString("yyyy-MM-dd", c),
                $"v{o.Version}",
                o.GatePassed ? "pass" : "fail",
                o.ValidationSharpe.ToString("0.00", c),
                $"v{o.PredictedBy}",
                $"{o.TestFrom:yyyy-MM-dd}..{o.TestTo:yyyy-MM-dd}",
                o.TestSessions.ToString(c),
                (growth - 1).ToString("P2", c),
                double.IsFinite(rankIc) ? rankIc.ToString("0.0000", c) : "n/a",
                o.DataSnapshot,
            ]);
        }

        var metrics = new List<KeyValuePair<string, double>>
        {
            new("sessions", r.Periods),
            new("retrains", retrains.Count),
            new("annualisation_factor", r.PeriodsPerYear),
            new("sharpe", r.Sharpe),
            new("annual_return", r.AnnualReturn),
            new("annual_volatility", r.AnnualVolatility),
            new("max_drawdown", r.MaxDrawdown.Depth),
            new("sortino", r.Sortino),
            new("calmar", r.Calmar),
            new("hit_rate", r.HitRate),
            new("psr", r.ProbabilisticSharpe),
            new("mean_turnover", r.MeanTurnover ?? double.NaN),
            new("ic_mean", r.Ic?.Mean ?? double.NaN),
            new("icir", r.Ic?.Icir ?? double.NaN),
            new("rank_ic_mean", r.RankIc?.Mean ?? double.NaN),
            new("rank_icir", r.RankIc?.Icir ?? double.NaN),
            new("gate_pass_rate", retrains.Count(o => o.GatePassed) / (double)retrains.Count),
        };

        var lineage = new Dictionary<string, string>
        {
            ["model"] = result.ModelName,
            ["exchange"] = config.Exchange,
            ["frequency"] = frequency,
            ["retrain_dates"] = $"{retrains[0].Date:yyyy-MM-dd}..{retrains[^1].Date:yyyy-MM-dd} ({retrains.Count})",
            ["versions"] = string.Join(",", retrains.Select(o => o.Version)),
            ["oos_range"] = $"{result.Sessions[0]:yyyy-MM-dd}..{result.Sessions[^1]:yyyy-MM-dd}",
            ["feature_set_version"] = LineageHashes.FeatureSetVersion(),
            ["config_hash"] = LineageHashes.ConfigHash(config),
            ["code_version"] = CodeVersion.Current,
            ["seed"] = config.Seed.ToString(c),
            ["predictions"] = result.PredictionsCsvPath,
            ["predictions_arrow"] = result.PredictionsArrowPath,
            ["daily_series"] = result.DailyCsvPath,
        };

        var dates = result.Sessions;
        var (psi, driftTable) = Drift(config, result);
        return new ReportDocument
        {
            Title = $"Walk-forward backfill of {result.ModelName}: {retrains.Count} {frequency} retrains, out of sample {dates[0]:yyyy-MM-dd}..{dates[^1]:yyyy-MM-dd}",
            ConfigText = LineageHashes.CanonicalConfig(config),
            Lineage = lineage,
            Metrics = metrics,
            NetReturns = new ReportSeries("OOS net return (long-short, after costs)", dates, result.NetReturns),
            Ic = new ReportSeries("OOS IC", dates, result.Ic),
            RankIc = new ReportSeries("OOS Rank IC", dates, result.RankIc),
            Psi = psi,
            PsiWarn = config.MonitoringPsiWarn,
            PsiAlert = config.MonitoringPsiAlert,
            DriftTable = driftTable,
            MonitoringSummary = psi.Count == 0 ? null : string.Create(c, $"PSI over time: one point per retrain date, from that retrain's monitor stage — the last {config.MonitoringDriftWindowSessions} sessions before the retrain date of each feature and of the new model's predictions against the training reference stored with its version. Levels: warn at {config.MonitoringPsiWarn}, alert at {config.MonitoringPsiAlert}."),
            Tables =
            [
                new ReportTable(
                    "Retrains",
                    ["date", "version", "gate", "validation Sharpe", "OOS by", "OOS window", "sessions", "OOS net return", "OOS Rank IC", "data snapshot"],
                    rows),
            ],
        };
    }

    /// <summary>PSI per series over the retrain dates (NaN where a retrain recorded no drift), and the figures behind it.</summary>
    public static (IReadOnlyList<ReportSeries> Psi, ReportTable? Table) Drift(PipelineConfig config, BackfillResult result)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        var recorded = result.Drift;
        if (recorded.Count != result.Retrains.Count || recorded.All(d => d is null))
        {
            return ([], null);
        }

        var c = CultureInfo.InvariantCulture;
        var names = recorded.First(d => d is not null)!.Figures.Select(f => f.Feature).ToList();
        DateOnly[] dates = [.. result.Retrains.Select(o => o.Date)];
        var psi = names.Select(name => new ReportSeries(
            name,
            dates,
            [.. recorded.Select(d => d?.Figures.FirstOrDefault(f => f.Feature == name)?.Psi ?? double.NaN)])).ToList();
        var rows = result.Retrains.Select((o, k) =>
        {
            var d = recorded[k];
            IReadOnlyList<string> row =
            [
                o.Date.ToString("yyyy-MM-dd", c),
                $"v{o.Version}",
                d is null ? "not recorded" : $"{d.WindowFrom:yyyy-MM-dd}..{d.WindowTo:yyyy-MM-dd}",
                .. names.Select(name => d?.Figures.FirstOrDefault(f => f.Feature == name) is { } f
                    ? string.Create(c, $"{f.Psi:0.000} / {f.KsStatistic:0.000} / {f.JsDistance:0.000}")
                    : "n/a"),
            ];
            return row;
        }).ToList();
        return (psi, new ReportTable("Drift at each retrain: PSI / KS D / JS distance per series", ["date", "version", "window", .. names], rows));
    }
}
