using System.Diagnostics;
using System.Text.Json;
using QuantPipeline.Cli.Commands;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>qp run as a real process: killed with SIGKILL mid-training, interrupted with SIGINT, racing a second process, waiting out a locked store.</summary>
public sealed class RunProcessTests : IDisposable
{
    private const string AsOf = "2023-12-29";

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-run-process-").FullName;

    public RunProcessTests()
    {
        using var store = MarketStore.Open(Path.Combine(_dir, "data", "market.duckdb"));
        store.Ingest(new SyntheticMarket(DemoCommand.Market));
    }

    /// <summary>The demo's market and model with a shorter training window.</summary>
    private string[] RunArgs(params string[] extra) =>
    [
        "run", "--as-of", AsOf, "--workdir", _dir, "--json",
        "--set", "model_name=demo_mlp", "--set", "universe=synthetic-50",
        "--set", "training_window_days=240", "--set", "validation_window_days=120", "--set", "training_epochs=2",
        .. extra,
    ];

    [Fact]
    public async Task A_run_killed_during_training_resumes_with_only_training_redone_and_a_racing_run_is_refused()
    {
        using var first = StartPausedInTraining(RunArgs());
        var record = await WaitForTrainingAsync(first);

        // A second process for the same model and as-of is refused, naming the run that holds the lock.
        var (exit, output, error) = await QpProcess.RunAsync(RunArgs());
        Assert.Equal(1, exit);
        Assert.Contains("in progress", error);
        Assert.Contains(record.RunId, error);
        Assert.Contains($"process {first.Process.Id}", error);
        Assert.Equal("locked", JsonDocument.Parse(output).RootElement.GetProperty("status").GetString());

        Assert.Equal(StageStatus.Running, RunJournal.Read(RecordPath(record)).Stages.Single(s => s.Stage == "train").Status);
        first.Process.Kill(); // SIGKILL: no handler runs, nothing is cleaned up
        await first.Process.WaitForExitAsync();

        var (resumedExit, resumedOut, resumedErr) = await QpProcess.RunAsync(RunArgs());
        Assert.True(resumedExit == 0, resumedErr);
        var resumed = JsonDocument.Parse(resumedOut).RootElement;
        var statuses = resumed.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("reused", statuses["prepare"]);
        Assert.Equal("reused", statuses["features"]);
        Assert.Equal("ok", statuses["train"]);
        Assert.Equal("ok", statuses["validate"]);
        Assert.Equal("ok", statuses["register"]);
        Assert.Equal(1, resumed.GetProperty("version").GetInt32());
        Assert.Contains("resuming after an interrupted run", resumedErr);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var registry = ModelRegistry.Open("sqlite:///models.db", _dir))
        {
            Assert.Single(registry.ListVersions("demo_mlp"));
        }

        var killed = RunJournal.Read(RecordPath(record));
        Assert.Equal(StageStatus.Interrupted, killed.Status);
        Assert.Equal(StageStatus.Interrupted, killed.Stages.Single(s => s.Stage == "train").Status);
        Assert.Empty(Leftovers());
        Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "stages", "train")));

        // The structured log holds both runs, each line tagged with its run id.
        var log = File.ReadAllLines(Path.Combine(_dir, "logs", "runs.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(log, l => l.GetProperty("run_id").GetString() == record.RunId && l.GetProperty("event").GetString() == "stage.start" && l.GetProperty("stage").GetString() == "train");
        Assert.Contains(log, l => l.GetProperty("run_id").GetString() == resumed.GetProperty("run_id").GetString() && l.GetProperty("event").GetString() == "run.end");
    }

    [Fact]
    public async Task Ctrl_C_during_training_cancels_cleanly_with_exit_code_130()
    {
        using var run = StartPausedInTraining(RunArgs());
        var record = await WaitForTrainingAsync(run);

        using (var signal = Process.Start("kill", ["-INT", run.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(QpProcess.Timeout);
        await run.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(130, run.Process.ExitCode);
        Assert.Contains("cancelled", await run.Error);

        var cancelled = RunJournal.Read(RecordPath(record));
        Assert.Equal(StageStatus.Cancelled, cancelled.Status);
        Assert.Equal(["ok", "ok", "cancelled"], cancelled.Stages.Select(s => s.Status));
        Assert.False(Directory.Exists(Path.Combine(_dir, "stages", "train")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "stages", "train")).Any());
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task A_store_locked_by_another_process_is_retried_with_backoff_until_released()
    {
        Task<(int Exit, string Out, string Err)> run;
        using (MarketStore.Open(Path.Combine(_dir, "data", "market.duckdb")))
        {
            // This process holds DuckDB's write lock on the store; qp run's read-only open is refused until it goes.
            run = QpProcess.RunAsync(RunArgs("--stop-after", "prepare", "--set", "retry_base_delay_ms=250", "--set", "retry_attempts=8"));
            var logPath = Path.Combine(_dir, "logs", "runs.jsonl");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(File.Exists(logPath) && File.ReadAllText(logPath).Contains("\"event\":\"retry\"", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "qp run never reported a retry on the locked store");
                await Task.Delay(50);
            }
        }

        var (exit, output, error) = await run;
        Assert.True(exit == 0, error);
        Assert.Contains("Could not set lock", error);
        var prepare = JsonDocument.Parse(output).RootElement.GetProperty("stages")[0];
        Assert.Equal("ok", prepare.GetProperty("status").GetString());
        Assert.True(prepare.GetProperty("attempts").GetInt32() >= 2);
    }

    [Fact]
    public void Usage_and_configuration_errors_exit_with_2_and_the_help_documents_the_exit_codes()
    {
        var (exit, _, error) = QpProcess.Run("run", "--as-of", "29/12/2023", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("yyyy-MM-dd", error);

        (exit, _, error) = QpProcess.Run("run", "--as-of", AsOf, "--workdir", _dir, "--set", "training_window_days=5");
        Assert.Equal(2, exit);
        Assert.Contains("training_window_days", error);

        (exit, _, error) = QpProcess.Run("run", "--as-of", AsOf, "--workdir", _dir, "--stop-after", "training");
        Assert.Equal(2, exit);
        Assert.Contains("not a stage", error);

        (exit, _, error) = QpProcess.Run("run", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("--as-of is required", error);

        (exit, _, error) = QpProcess.Run("run", "--as-of", AsOf, "--workdir", _dir, "--forse");
        Assert.Equal(2, exit);
        Assert.Contains("'--forse'", error);

        var (helpExit, help, _) = QpProcess.Run("run", "--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("Exit codes:", help);
        Assert.Contains("130", help);
    }

    [Fact]
    public void Due_prints_the_first_sessions_of_the_months_without_a_completed_run_one_per_line()
    {
        // XNYS: 2023-10-02 (Oct 1 is a Sunday), 2023-11-01, 2023-12-01; no run has completed in this folder.
        var (exit, output, error) = QpProcess.Run("due", "--from", "2023-09-15", "--as-of", AsOf, "--workdir", _dir, "--set", "model_name=demo_mlp");
        Assert.True(exit == 0, error);
        Assert.Equal(["2023-10-02", "2023-11-01", "2023-12-01"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        (exit, output, _) = QpProcess.Run("due", "--from", "2023-09-15", "--as-of", AsOf, "--workdir", _dir, "--set", "retraining_frequency=quarterly", "--json");
        Assert.Equal(0, exit);
        var due = JsonDocument.Parse(output).RootElement;
        Assert.Equal("XNYS", due.GetProperty("exchange").GetString());
        Assert.Equal(["2023-10-02"], due.GetProperty("due").EnumerateArray().Select(d => d.GetString()));
    }

    private sealed class Running(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public Task<string> Output { get; } = process.StandardOutput.ReadToEndAsync();

        public Task<string> Error { get; } = process.StandardError.ReadToEndAsync();

        public void Dispose()
        {
            QpProcess.KillTree(Process);
            Process.Dispose();
        }
    }

    /// <summary>Starts qp run told to stop at the train stage (once it is recorded as running) and wait there to be killed or interrupted.</summary>
    private Running StartPausedInTraining(string[] args)
    {
        var info = QpProcess.StartInfo(args);
        info.Environment["QP_PAUSE_AT"] = "stage.train";
        info.Environment["QP_PAUSE_DIR"] = PauseDir;
        return new Running(Process.Start(info)!);
    }

    private string PauseDir => Path.Combine(Path.GetTempPath(), "qp-pause-" + Path.GetFileName(_dir));

    /// <summary>
    /// Waits until the process says it has paused in its train stage (its marker file), then reads the run record, which
    /// by then says the stage is running. The deadline only turns a process that never gets there into a failure.
    /// </summary>
    private async Task<RunRecord> WaitForTrainingAsync(Running run)
    {
        var marker = Core.Diagnostics.PausePoints.MarkerPath(PauseDir, "stage.train");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!File.Exists(marker))
        {
            if (run.Process.HasExited)
            {
                Assert.Fail($"qp run ended before training: {await run.Error}");
            }

            Assert.True(DateTime.UtcNow < deadline, "qp run never reached its train stage");
            await Task.Delay(20);
        }

        Assert.Equal(run.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(marker));
        return RunJournal.ReadAll(_dir).Single(r => r.Stages.Any(s => s.Stage == "train" && s.Status == StageStatus.Running));
    }

    private string RecordPath(RunRecord record) => Path.Combine(_dir, "runs", record.RunId + ".json");

    private IReadOnlyList<string> Leftovers() =>
        [.. Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p).StartsWith(".tmp-", StringComparison.Ordinal) || p.EndsWith(".tmp", StringComparison.Ordinal))];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        if (Directory.Exists(PauseDir))
        {
            Directory.Delete(PauseDir, recursive: true);
        }
    }
}
