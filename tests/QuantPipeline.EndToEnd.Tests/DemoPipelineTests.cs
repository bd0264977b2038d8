using System.Globalization;
using System.Security.Cryptography;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

public sealed class DemoPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-e2e-").FullName;

    [Fact]
    public void Demo_runs_every_stage_registers_and_deploys_and_a_second_run_reuses_everything_without_a_second_version()
    {
        var stages = new List<StageRecord>();
        var first = new ProductionPipeline(SingleRunDemo.Config, _dir, stages.Add).RunDemo(SingleRunDemo.Market);

        Assert.Equal(
            ["ingest", "prepare", "features", "train", "validate", "gate", "register", "deploy", "monitor"],
            stages.Select(s => s.Stage));
        Assert.All(stages, s => Assert.Equal("ok", s.Status));
        Assert.Equal(1, first.Version);
        Assert.True(first.Gate.Passed, first.Gate.Describe());

        // Registry row: metrics as computed, artifact hash matches the file on disk.
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _dir))
        {
            var row = registry.GetVersion("demo_mlp", 1);
            Assert.Equal(first.Metrics.Sharpe, row.Metrics["sharpe"], 12);
            Assert.Equal(first.Metrics.MaxDrawdown, row.Metrics["max_drawdown"], 12);
            Assert.Equal("approved", row.Status);
            Assert.Equal(new DateOnly(2023, 12, 29), row.AsOf);
            Assert.True(File.Exists(row.ArtifactPath));
            Assert.Equal(row.ArtifactSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(row.ArtifactPath))));
            Assert.StartsWith(_dir, row.ArtifactPath);
        }

        // Signals: one row per symbol, ranked by score, stamped with model and version.
        var lines = File.ReadAllLines(first.SignalsPath!);
        Assert.Equal("as_of,symbol,score,rank,model_name,model_version", lines[0]);
        Assert.Equal(51, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal("2023-12-29", r[0]));
        Assert.All(rows, r => Assert.Equal("demo_mlp", r[4]));
        Assert.All(rows, r => Assert.Equal("1", r[5]));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r[3]));
        var scores = rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.Equal(50, rows.Select(r => r[1]).Distinct().Count());

        // Six features and the predictions, each with PSI, KS and JS against the stored training reference.
        Assert.Equal(7, first.Drift.Count);
        Assert.Equal("prediction", first.Drift[^1].Feature);
        Assert.All(first.Drift, d => Assert.True(d.Psi >= 0 && double.IsFinite(d.Psi) && d.KsStatistic is >= 0 and <= 1 && d.KsPValue is >= 0 and <= 1 && d.JsDistance is >= 0 and <= 1, $"{d}"));

        // The demo's validation Sharpe on its walk-forward windows (476 training, 252 validation sessions, purged).
        Assert.Equal(1.9575, first.Metrics.Sharpe, 4);

        // Second run: the store and every stored stage output are reused, and the same inputs register no second version.
        var second = new ProductionPipeline(SingleRunDemo.Config, _dir).RunDemo(SingleRunDemo.Market);
        Assert.Equal(
            ["ok", "reused", "reused", "reused", "reused", "ok", "reused", "ok", "ok"],
            second.Stages.Select(s => s.Status));
        Assert.Equal(1, second.Version);
        Assert.Equal(first.Metrics.Sharpe, second.Metrics.Sharpe, 12);
        Assert.Equal(first.ArtifactSha256, second.ArtifactSha256);
        Assert.Equal("1", File.ReadAllLines(second.SignalsPath!)[1].Split(',')[5]);
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _dir))
        {
            Assert.Single(registry.ListVersions("demo_mlp"));
        }
    }

    [Fact]
    public void Too_little_history_fails_the_prepare_stage_with_what_is_needed()
    {
        var config = SingleRunDemo.Config with { TrainingWindowDays = 756 };
        var e = Assert.Throws<PipelineStageException>(() => new ProductionPipeline(config, _dir).RunDemo(SingleRunDemo.Market));
        Assert.Equal("prepare", e.Stage);
        Assert.Contains("sessions", e.Message);
        Assert.Contains("756", e.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
