using System.Security.Cryptography;
using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Tests.Runs;

public sealed class ResumableRunTests : IDisposable
{
    private static readonly string[] Cached = ["prepare", "features", "train", "validate", "register"];

    private readonly SmallMarket _market = new();

    private ProductionPipeline Pipeline() => new(SmallMarket.Config, _market.Directory);

    private static string Status(PipelineResult result, string stage) => result.Stages.Single(s => s.Stage == stage).Status;

    private IReadOnlyList<ModelVersion> Versions()
    {
        using var registry = ModelRegistry.Open(SmallMarket.Config.ModelRegistryUri, _market.Directory);
        return registry.ListVersions(SmallMarket.Config.ModelName);
    }

    [Fact]
    public void A_second_run_reuses_every_stored_stage_and_force_recomputes_to_the_same_single_version()
    {
        var first = Pipeline().Run(SmallMarket.AsOf);
        Assert.All(first.Stages, s => Assert.Equal(StageStatus.Ok, s.Status));
        Assert.All(first.Stages.Where(s => Cached.Contains(s.Stage)), s => Assert.NotNull(s.OutputHash));

        var second = Pipeline().Run(SmallMarket.AsOf);
        Assert.All(Cached, stage => Assert.Equal(StageStatus.Reused, Status(second, stage)));
        Assert.Equal(first.Version, second.Version);
        Assert.Equal(first.Metrics.Sharpe, second.Metrics.Sharpe);
        Assert.Equal(first.Report!.DeflatedSharpe, second.Report!.DeflatedSharpe);
        // Same inputs, same output hashes: nothing was rewritten.
        Assert.Equal(first.Stages.Where(s => Cached.Contains(s.Stage)).Select(s => s.OutputHash), second.Stages.Where(s => Cached.Contains(s.Stage)).Select(s => s.OutputHash));

        var forced = Pipeline().Run(SmallMarket.AsOf, new RunOptions { Force = true });
        Assert.All(forced.Stages, s => Assert.Equal(StageStatus.Ok, s.Status));
        Assert.Contains("already registered", forced.Stages.Single(s => s.Stage == "register").Detail);
        Assert.Equal(first.ArtifactSha256, forced.ArtifactSha256);
        Assert.Single(Versions());
        Assert.Contains("production already v1", forced.Stages.Single(s => s.Stage == "deploy").Detail);
        Assert.Empty(_market.Leftovers());

        // The run record on disk tells the same story, and an HTML report was written for each run.
        var record = RunJournal.Read(forced.RunRecordPath);
        Assert.Equal(StageStatus.Succeeded, record.Status);
        Assert.Equal(forced.Stages.Select(s => s.Stage), record.Stages.Select(s => s.Stage));
        Assert.Equal(1, record.Version);
        Assert.True(File.Exists(forced.ReportPath));
        var html = File.ReadAllText(forced.ReportPath!);
        Assert.Contains(forced.RunId, html);
        Assert.Contains(first.Stages.Single(s => s.Stage == "prepare").Detail.Split("snapshot ")[1], html);
    }

    [Fact]
    public void Stages_computed_up_to_validate_are_reused_by_a_later_full_run()
    {
        var partial = Pipeline().Run(SmallMarket.AsOf, new RunOptions { StopAfter = "validate" });
        Assert.Equal("validate", partial.StoppedAfter);
        Assert.Equal(["prepare", "features", "train", "validate"], partial.Stages.Select(s => s.Stage));
        Assert.Empty(Versions());

        var full = Pipeline().Run(SmallMarket.AsOf);
        Assert.Equal(["reused", "reused", "reused", "reused", "ok", "ok", "ok", "ok"], full.Stages.Select(s => s.Status));
        Assert.Equal(partial.Metrics.Sharpe, full.Metrics.Sharpe);
        Assert.Equal(1, Assert.Single(Versions()).Version);
    }

    [Fact]
    public void Cancelling_during_training_discards_its_output_records_cancelled_and_the_next_run_resumes()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelOnFirst("train", cancellation);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Pipeline().Run(SmallMarket.AsOf, new RunOptions { CancellationToken = cancellation.Token, Progress = progress }));
        Assert.True(progress.Reports > 0);

        var record = Assert.Single(RunJournal.ReadAll(_market.Directory));
        Assert.Equal(StageStatus.Cancelled, record.Status);
        Assert.Equal(["ok", "ok", "cancelled"], record.Stages.Select(s => s.Status));
        Assert.False(Directory.Exists(Path.Combine(_market.Directory, "stages", "train")) && Directory.EnumerateFileSystemEntries(Path.Combine(_market.Directory, "stages", "train")).Any());
        Assert.Empty(_market.Leftovers());
        Assert.Empty(Versions());

        var resumed = Pipeline().Run(SmallMarket.AsOf);
        Assert.Equal(["reused", "reused", "ok", "ok"], resumed.Stages.Take(4).Select(s => s.Status));
        Assert.Equal(1, resumed.Version);
    }

    [Fact]
    public void A_damaged_stored_model_is_never_read_the_stage_recomputes_it_identically()
    {
        var first = Pipeline().Run(SmallMarket.AsOf, new RunOptions { StopAfter = "train" });
        var trainDir = Directory.GetDirectories(Path.Combine(_market.Directory, "stages", "train")).Single();
        var model = Path.Combine(trainDir, "model.pt");
        var original = SHA256.HashData(File.ReadAllBytes(model));
        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(model, bytes);

        var second = Pipeline().Run(SmallMarket.AsOf, new RunOptions { StopAfter = "train" });
        Assert.Equal(["reused", "reused", "ok"], second.Stages.Select(s => s.Status));
        Assert.Equal(original, SHA256.HashData(File.ReadAllBytes(model)));
        Assert.Equal(first.Stages[2].OutputHash, second.Stages[2].OutputHash);
    }

    [Fact]
    public void A_second_run_of_the_same_model_and_date_is_refused_while_the_lock_is_held()
    {
        using (RunLock.Acquire(_market.Directory, SmallMarket.Config.ModelName, SmallMarket.AsOf, "holder-run"))
        {
            var e = Assert.Throws<RunLockedException>(() => Pipeline().Run(SmallMarket.AsOf));
            Assert.Contains("holder-run", e.Message);
            Assert.Contains($"process {Environment.ProcessId}", e.Message);
            Assert.Equal("holder-run", e.Owner!.RunId);
        }

        // Released: the next run goes ahead (and the refused one left no run record behind).
        Assert.Empty(RunJournal.ReadAll(_market.Directory));
        Assert.Equal(1, Pipeline().Run(SmallMarket.AsOf, new RunOptions { StopAfter = "register" }).Version);
    }

    [Fact]
    public void A_run_of_an_earlier_date_registers_but_never_takes_production_back()
    {
        var latest = Pipeline().Run(SmallMarket.AsOf);
        Assert.NotNull(latest.SignalsPath);

        var earlier = Pipeline().Run(new DateOnly(2023, 11, 30));
        Assert.Equal(2, earlier.Version);
        Assert.True(earlier.Gate.Passed);
        Assert.Null(earlier.SignalsPath);
        var deploy = earlier.Stages.Single(s => s.Stage == "deploy");
        Assert.Equal(StageStatus.Skipped, deploy.Status);
        Assert.Contains("trained as of 2023-12-29", deploy.Detail);
        using (var registry = ModelRegistry.Open(SmallMarket.Config.ModelRegistryUri, _market.Directory))
        {
            Assert.Equal(1, registry.GetAlias(SmallMarket.Config.ModelName, ModelRegistry.Production)!.Version);
            Assert.Empty(registry.ReadSignals(SmallMarket.Config.ModelName, new DateOnly(2023, 11, 30)));
        }

        // Repeating the latest date's run changes nothing: production already holds its version.
        var again = Pipeline().Run(SmallMarket.AsOf);
        Assert.Equal(1, again.Version);
        Assert.Contains("production already v1", again.Stages.Single(s => s.Stage == "deploy").Detail);
    }

    public void Dispose() => _market.Dispose();

    /// <summary>Cancels the run at the first progress report of a task (synchronously, on the training thread).</summary>
    private sealed class CancelOnFirst(string task, CancellationTokenSource source) : IProgress<ProgressUpdate>
    {
        public int Reports { get; private set; }

        public void Report(ProgressUpdate value)
        {
            if (value.Task == task)
            {
                Reports++;
                source.Cancel();
            }
        }
    }
}
