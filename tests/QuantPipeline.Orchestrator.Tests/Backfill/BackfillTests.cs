using System.Globalization;
using System.Text.Json;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Reports;
using QuantPipeline.Orchestrator.Tests.Reports;
using QuantPipeline.Orchestrator.Schedule;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Tests.Backfill;

public sealed class BackfillTests(BackfillFixture fixture) : IClassFixture<BackfillFixture>
{
    private static readonly DateOnly[] RetrainDates = [new(2022, 3, 1), new(2022, 4, 1), new(2022, 5, 2)];

    private static readonly IExchangeCalendar Xnys = ExchangeCalendars.Get("XNYS");

    [Fact]
    public void Retrains_run_on_the_schedule_and_each_prepares_data_ending_at_its_date()
    {
        // May 1, 2022 was a Sunday.
        Assert.Equal(RetrainDates, RetrainScheduler.Dates(BackfillFixture.Options.From, BackfillFixture.Options.To, "monthly", "XNYS"));
        Assert.Equal(RetrainDates, fixture.Result.Retrains.Select(r => r.Date));

        using var registry = ModelRegistry.Open(BackfillFixture.Config.ModelRegistryUri, fixture.Directory);
        var versions = registry.ListVersions(BackfillFixture.Config.ModelName).OrderBy(v => v.Version).ToList();
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(RetrainDates, versions.Select(v => v.AsOf));
        Assert.Equal([1, 2, 3], fixture.Result.Retrains.Select(r => r.Version));

        using var store = MarketStore.Open(Path.Combine(fixture.Directory, BackfillFixture.Config.MarketStorePath), readOnly: true);
        foreach (var version in versions)
        {
            // The prepare stage's snapshot is the one of a request ending exactly at the retrain date.
            var request = ModelInputs.Request(BackfillFixture.Config, version.AsOf, ModelInputs.SessionsNeeded(BackfillFixture.Config));
            Assert.Equal(version.AsOf, request.To);
            Assert.Equal(version.AsOf, request.AdjustAsOf);
            Assert.Equal(store.SnapshotId(request, store.LoadPanel(request)), version.Lineage!.DataSnapshotId);
            Assert.True(version.Lineage.TrainingTo < version.AsOf);
        }
    }

    [Fact]
    public void The_stitched_out_of_sample_series_covers_each_session_once_with_figures_a_plain_loop_reproduces()
    {
        var result = fixture.Result;
        var sessions = Xnys.Sessions(new(2022, 3, 1), new(2022, 5, 31));
        Assert.Equal(sessions, result.Sessions);

        // Windows: each retrain date up to the session before the next one; together they tile the range.
        var tiled = result.Retrains.SelectMany(r => sessions.Where(s => s >= r.TestFrom && s <= r.TestTo)).ToList();
        Assert.Equal(sessions, tiled);
        Assert.Equal([new DateOnly(2022, 3, 31), new DateOnly(2022, 4, 29), new DateOnly(2022, 5, 31)], result.Retrains.Select(r => r.TestTo));
        for (var i = 0; i < sessions.Count; i++)
        {
            Assert.Equal(result.Retrains.Single(r => sessions[i] >= r.TestFrom && sessions[i] <= r.TestTo).PredictedBy, result.ScoredBy[i]);
        }

        var daily = File.ReadAllLines(result.DailyCsvPath).Skip(1).Select(l => DateOnly.ParseExact(l.Split(',')[0], "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sessions, daily);

        // Realised returns: next-session total returns from prices adjusted for splits and dividends.
        Dictionary<(DateOnly, string), float> adjustedClose;
        using (var store = MarketStore.Open(Path.Combine(fixture.Directory, BackfillFixture.Config.MarketStorePath), readOnly: true))
        {
            var panel = store.LoadPanel(new PanelRequest { From = new(2022, 3, 1), To = new(2022, 6, 1), Fields = ["close"], AdjustAsOf = new(2022, 6, 1) });
            adjustedClose = [];
            for (var t = 0; t < panel.T; t++)
            {
                for (var j = 0; j < panel.N; j++)
                {
                    adjustedClose[(DateOnly.FromDateTime(panel.Timestamps[t]), panel.Symbols[j])] = panel.Field("close")[t * panel.N + j];
                }
            }
        }

        var rows = File.ReadAllLines(result.PredictionsCsvPath).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(sessions.Count * BackfillFixture.Market.Symbols, rows.Count);
        foreach (var (day, index) in new[] { (sessions[0], 0), (sessions[30], 30), (sessions[^1], sessions.Count - 1) })
        {
            var today = rows.Where(r => r[0] == day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
            var next = Xnys.NextSession(day);
            var scores = today.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray();
            var realised = today.Select(r => (double)(adjustedClose[(next, r[1])] / adjustedClose[(day, r[1])] - 1f)).ToArray();
            Assert.Equal(realised, today.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)), (a, b) => Math.Abs(a - b) < 1e-6);
            Assert.Equal(Spearman(scores, realised), result.RankIc[index], 6);
        }

        var html = File.ReadAllText(result.ReportPath);
        Assert.Contains("Retrains", html);
        Assert.Contains("2022-05-02", html);
        Assert.Equal(sessions.Count, result.Report.Periods);
    }

    [Fact]
    public void Changing_every_bar_after_a_date_leaves_the_models_and_predictions_known_by_then_unchanged()
    {
        var cut = new DateOnly(2022, 4, 14);
        var workdir = fixture.NewWorkdir("perturbed");
        BackfillFixture.Ingest(workdir, bar => DateOnly.FromDateTime(bar.Timestamp) <= cut ? bar : Perturb(bar));
        var perturbed = new WalkForwardBackfill(BackfillFixture.Config, workdir).Run(BackfillFixture.Options);

        using (var original = ModelRegistry.Open(BackfillFixture.Config.ModelRegistryUri, fixture.Directory))
        using (var changed = ModelRegistry.Open(BackfillFixture.Config.ModelRegistryUri, workdir))
        {
            string Sha(ModelRegistry r, int v) => r.GetVersion(BackfillFixture.Config.ModelName, v).ArtifactSha256;

            // Retrains on 03-01 and 04-01 saw nothing after the cut; the one on 05-02 did.
            Assert.Equal(Sha(original, 1), Sha(changed, 1));
            Assert.Equal(Sha(original, 2), Sha(changed, 2));
            Assert.NotEqual(Sha(original, 3), Sha(changed, 3));
        }

        static Dictionary<string, string> Scores(BackfillResult r) =>
            File.ReadAllLines(r.PredictionsCsvPath).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0] + "," + c[1], c => c[2] + "," + c[3]);
        var before = Scores(fixture.Result);
        var after = Scores(perturbed);
        var key = cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var known = before.Keys.Where(k => string.CompareOrdinal(k[..10], key) <= 0).ToList();
        var later = before.Keys.Where(k => string.CompareOrdinal(k[..10], key) > 0).ToList();
        Assert.NotEmpty(known);
        Assert.All(known, k => Assert.Equal(before[k], after[k]));
        Assert.True(later.Count(k => before[k] != after[k]) > later.Count / 2, "the perturbation changes most later predictions");
    }

    [Fact]
    public void An_interrupted_backfill_resumes_redoing_only_what_is_missing_and_ends_as_an_uninterrupted_one()
    {
        var workdir = fixture.NewWorkdir("resumed");
        var store = Path.Combine(workdir, BackfillFixture.Config.MarketStorePath);
        Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        File.Copy(Path.Combine(fixture.Directory, BackfillFixture.Config.MarketStorePath), store);

        using (var cancel = new CancellationTokenSource())
        {
            var stopAfterFirst = new Updates(u =>
            {
                if (u.Task == WalkForwardBackfill.ProgressTask && u.Done == 1)
                {
                    cancel.Cancel();
                }
            });
            Assert.ThrowsAny<OperationCanceledException>(() => new WalkForwardBackfill(BackfillFixture.Config, workdir, stopAfterFirst).Run(BackfillFixture.Options, cancel.Token));
        }

        using (var registry = ModelRegistry.Open(BackfillFixture.Config.ModelRegistryUri, workdir))
        {
            Assert.Equal([RetrainDates[0]], registry.ListVersions(BackfillFixture.Config.ModelName).Select(v => v.AsOf));
        }

        var updates = new List<ProgressUpdate>();
        var resumed = new WalkForwardBackfill(BackfillFixture.Config, workdir, new Updates(updates.Add)).Run(BackfillFixture.Options);
        Assert.Equal([true, false, false], resumed.Retrains.Select(r => r.Reused));
        Assert.Equal([1, 2, 3], resumed.Retrains.Select(r => r.Version));
        Assert.Equal(fixture.Result.NetReturns, resumed.NetReturns);
        Assert.Equal(File.ReadAllBytes(fixture.Result.PredictionsCsvPath), File.ReadAllBytes(resumed.PredictionsCsvPath));
        var backfill = updates.Where(u => u.Task == WalkForwardBackfill.ProgressTask).ToList();
        Assert.All(backfill, u => Assert.Equal(3L, u.Total));
        Assert.Equal([0L, 1, 2, 3], backfill.Select(u => u.Done));

        // The two retrains that ran report their training (samples over all epochs, so a bar has an ETA) and their stages.
        var training = updates.Where(u => u.Task == "train").ToList();
        Assert.NotEmpty(training);
        Assert.All(training, u => Assert.True(u.Total > 0 && u.Done <= u.Total, $"{u}"));
        Assert.Equal(2, training.Count(u => u.Done == u.Total && u.Detail!.Contains($"epoch {BackfillFixture.Config.TrainingEpochs}/{BackfillFixture.Config.TrainingEpochs}, loss", StringComparison.Ordinal)));
        var stages = updates.Where(u => u.Task == "run").ToList();
        Assert.Equal(2 * 8, stages.Count);
        Assert.All(stages, u => Assert.Equal(8L, u.Total));
        Assert.Equal(2, stages.Count(u => u.Done == 8 && u.Detail!.StartsWith("monitor", StringComparison.Ordinal)));

        // A third run registers nothing and rescoring nothing: every window file stays as written.
        var windows = new WalkForwardBackfill(BackfillFixture.Config, workdir).WindowDirectory;
        var written = Directory.GetFiles(windows).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(3, written.Count);
        var again = new WalkForwardBackfill(BackfillFixture.Config, workdir).Run(BackfillFixture.Options);
        Assert.All(again.Retrains, r => Assert.True(r.Reused));
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(w.Key)));
        using (var registry = ModelRegistry.Open(BackfillFixture.Config.ModelRegistryUri, workdir))
        {
            Assert.Equal(3, registry.ListVersions(BackfillFixture.Config.ModelName).Count);
        }

        Assert.Equal(fixture.Result.NetReturns, again.NetReturns);
    }

    [Fact]
    public void The_report_draws_psi_over_time_one_point_per_retrain_as_each_versions_monitor_stage_recorded_it()
    {
        var config = BackfillFixture.Config;
        var result = fixture.Result;
        string[] names = [.. SkeletonFeatureSet.Names, MonitoringNames.Prediction];

        // What the audit trail holds for each version, read straight from the JSON entries.
        using var registry = ModelRegistry.Open(config.ModelRegistryUri, fixture.Directory);
        var recorded = new Dictionary<int, Dictionary<string, double>>();
        foreach (var entry in registry.Audit.Read().Where(e => e.Action == "monitor.drift"))
        {
            using var json = JsonDocument.Parse(entry.PayloadJson);
            recorded[json.RootElement.GetProperty("version").GetInt32()] = json.RootElement.GetProperty("figures").EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("psi").GetDouble());
        }

        Assert.Equal([1, 2, 3], recorded.Keys.Order());
        var (psi, table) = BackfillReport.Drift(config, result);
        Assert.Equal(names, psi.Select(s => s.Name));
        foreach (var series in psi)
        {
            Assert.Equal(RetrainDates, series.Dates);
            Assert.Equal(result.Retrains.Select(r => recorded[r.Version][series.Name]), series.Values);
            Assert.All(series.Values, v => Assert.True(double.IsFinite(v) && v >= 0, $"{series.Name}: {v}"));
        }

        Assert.Equal(3, table!.Rows.Count);

        // The recorded figures are the batched kernels' over the configured window; the per-feature calculator, which
        // sorts each sample, gives the same PSI for the last retrain's features from its prepared panel and stored reference.
        var last = registry.GetVersion(config.ModelName, 3);
        var reference = MonitoringReference.Load(last.Parameters[MonitoringNames.ReferenceParameter]);
        using (var store = MarketStore.Open(Path.Combine(fixture.Directory, config.MarketStorePath), readOnly: true))
        {
            var panel = ModelInputs.Load(store, config, last.AsOf).Panel;
            ModelInputs.Compute(panel, ModelInputs.Backend(config), (float)config.FeatureZScoreClip);
            int n = panel.N, window = config.MonitoringDriftWindowSessions;
            foreach (var feature in reference.Features)
            {
                var current = panel.Field(feature.Name).AsSpan((panel.T - window) * n, window * n);
                var expected = DriftCalculator.Compute(feature, current, new DriftThresholds()).Psi;
                Assert.True(Math.Abs(expected - recorded[3][feature.Name]) < 1e-9, $"{feature.Name}: {expected} vs {recorded[3][feature.Name]}");
            }
        }

        // The written report carries the section and its chart decodes.
        var document = ReportHtml.Parse(File.ReadAllText(result.ReportPath));
        using var bitmap = ReportHtml.DecodePng(ReportHtml.Charts(document)["psi"], ReportCharts.Width, ReportCharts.Height);
        Assert.True(ReportHtml.DistinctColours(bitmap) > 3);
        Assert.Contains(document.Descendants("h2"), h => h.Value == "Monitoring");
    }

    /// <summary>Every price of the bar scaled by a factor in [0.9, 1.1] that varies by symbol and day; volume the other way.</summary>
    private static Bar Perturb(Bar bar)
    {
        var f = 1 + 0.1 * Math.Sin(bar.Timestamp.DayOfYear * 0.7 + bar.Symbol.Length + bar.Symbol[^1]);
        return bar with { Open = bar.Open * f, High = bar.High * f, Low = bar.Low * f, Close = bar.Close * f, Volume = Math.Round(bar.Volume * (2 - f)) };
    }

    /// <summary>Spearman correlation of the finite pairs: Pearson on average ranks.</summary>
    private static double Spearman(double[] x, double[] y)
    {
        var keep = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        var rx = Ranks(keep.Select(i => x[i]).ToArray());
        var ry = Ranks(keep.Select(i => y[i]).ToArray());
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    private static double[] Ranks(double[] v)
    {
        var ranks = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            ranks[i] = 1 + v.Count(o => o < v[i]) + (v.Count(o => o == v[i]) - 1) / 2.0;
        }

        return ranks;
    }

    private sealed class Updates(Action<ProgressUpdate> onUpdate) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onUpdate(value);
    }
}
