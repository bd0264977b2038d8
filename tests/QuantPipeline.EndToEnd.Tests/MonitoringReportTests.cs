using QuantPipeline.Cli.Commands;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Reports;
using QuantPipeline.Orchestrator.Tests.Reports;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// The monitoring report of a real monitored model: a model trained before a volatility regime change, monitored
/// before and six weeks after it; PSI over time and realised IC come from the monitor's own figures.
/// </summary>
public sealed class MonitoringReportTests : IDisposable
{
    private static readonly DateOnly BeforeChange = new(2022, 1, 14);
    private static readonly DateOnly AfterChange = new(2022, 2, 28);

    private static readonly PipelineConfig Config = DemoCommand.Config with
    {
        TrainingWindowDays = 120,
        ValidationWindowDays = 60,
        TrainingEpochs = 2,
        MinSharpeThreshold = -100,
        MaxDrawdownThreshold = -1,
        Exchange = "WEEKDAY", // the generator's bars fall on every weekday
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-monitor-report-").FullName;

    [Fact]
    public void Psi_and_ic_over_time_come_from_the_monitoring_history_and_reach_the_report_and_the_cli()
    {
        var market = new SyntheticMarketOptions { Symbols = 30, From = new DateOnly(2021, 1, 4), To = AfterChange, Seed = 42 };
        using (var store = MarketStore.Open(Path.Combine(_dir, Config.MarketStorePath)))
        {
            store.IngestDailyBars(RegimeChange.Apply(SyntheticDailyMarket.Generate(market), new RegimeChangeOptions { From = new DateOnly(2022, 1, 17), VolatilityMultiplier = 3, VolumeMultiplier = 0.3 }));
        }

        // The working folder's qp.yaml holds the test's configuration, so qp monitor below reads it as a user's would.
        File.WriteAllText(Path.Combine(_dir, "qp.yaml"), DefaultConfigFile.Text(Config));
        Assert.Equal(1, new ProductionPipeline(Config, _dir).Run(BeforeChange).Version);
        var monitor = new ModelMonitor(Config, _dir);
        var before = monitor.Run(BeforeChange);
        var after = monitor.Run(AfterChange);

        // Within one run, the history ends with the run's own drift figures, one window's PSI per session.
        foreach (var run in new[] { before, after })
        {
            var history = run.PsiHistory!;
            Assert.Equal(run.Drift.Select(d => d.Name), history.Names);
            Assert.Equal(run.DriftTo, history.Sessions[^1]);
            Assert.Equal(run.Decay.Sessions.Count + 1 - (history.WindowSessions - 1), history.Sessions.Count);
            Assert.Equal(run.Drift.Select(d => d.Psi), history.Psi.Select(p => p[^1]));
        }

        // Merged over both runs: the later run's history covers the earlier as-of, and agrees with that run's figure
        // (features are recomputed on a different stretch of history, so float rounding may move a value across a bin edge).
        var psi = MonitoringReport.PsiSeries([after, before]);
        Assert.Equal(after.Drift.Select(d => d.Name), psi.Select(s => s.Name));
        var vol = psi.Single(s => s.Name == "vol_20");
        Assert.True(vol.Dates.SequenceEqual(vol.Dates.Order()) && vol.Dates.Distinct().Count() == vol.Dates.Count);
        var atBefore = vol.Dates.ToList().IndexOf(BeforeChange);
        Assert.True(atBefore >= 0, "the later run's history reaches back to the earlier as-of");
        Assert.True(Math.Abs(before.Drift.Single(d => d.Name == "vol_20").Psi - vol.Values[atBefore]) < 0.02, $"{vol.Values[atBefore]} against {before.Drift.Single(d => d.Name == "vol_20").Psi}");
        Assert.Equal(after.Drift.Single(d => d.Name == "vol_20").Psi, vol.Values[^1]);
        Assert.True(vol.Values[atBefore] < 0.2 && vol.Values[^1] >= 0.2, $"vol_20 PSI {vol.Values[atBefore]:0.000} before, {vol.Values[^1]:0.000} after the change");

        var (ic, rankIc) = MonitoringReport.IcSeries([before, after]);
        var sessions = before.Decay.Sessions.Union(after.Decay.Sessions).Order().ToList();
        Assert.Equal(sessions, ic.Dates);
        Assert.Equal(sessions, rankIc.Dates);
        for (var i = 0; i < after.Decay.Sessions.Count; i++)
        {
            var at = sessions.IndexOf(after.Decay.Sessions[i]);
            Assert.Equal(after.Decay.DailyIc[i], ic.Values[at]);
            Assert.Equal(after.Decay.DailyRankIc[i], rankIc.Values[at]);
        }

        var written = HtmlReportWriter.Write(MonitoringReport.Build([before, after]), Path.Combine(_dir, "monitoring.html"));
        var html = ReportHtml.Parse(File.ReadAllText(written));
        Assert.Equal(["drawdown", "equity", "ic", "psi", "rank_ic"], ReportHtml.Charts(html).Keys.Order());
        foreach (var png in ReportHtml.Charts(html).Values)
        {
            using var bitmap = ReportHtml.DecodePng(png, ReportCharts.Width, ReportCharts.Height);
        }

        var psiRows = html.Descendants("section").Single(s => (string?)s.Attribute("id") == "monitoring").Descendants("tbody").Single().Elements("tr").ToList();
        Assert.Equal(7, psiRows.Count);
        Assert.Contains(psiRows, r => r.Elements("td").First().Value == "vol_20" && r.Elements("td").ElementAt(3).Value == "alert");

        // The CLI writes the same report for one run; --json output stays one JSON document.
        var path = Path.Combine(_dir, "cli", "report.html");
        var (exit, stdout, stderr) = QpProcess.Run("monitor", "--as-of", "2022-02-28", "--workdir", _dir, "--json", "--report", path);
        Assert.True(exit == 0, stdout + stderr);
        using (System.Text.Json.JsonDocument.Parse(stdout))
        {
        }

        Assert.Contains("report: " + path, stderr);
        var cli = ReportHtml.Parse(File.ReadAllText(path));
        Assert.Equal("Monitoring: demo_mlp v1 at 2022-02-28", cli.Descendants("h1").Single().Value);
        Assert.Contains("psi", ReportHtml.Charts(cli).Keys);
        Assert.Contains(cli.Descendants("h2"), h => h.Value.StartsWith("Drift at 2022-02-28", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
