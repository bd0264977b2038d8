using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Progress;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Core.Validation;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Pipeline.Stages;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;
using QuantPipeline.Training;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// The staged pipeline: ingest → prepare → features → train → validate → gate → register → deploy → monitor.
/// Everything lives under one working folder: the DuckDB store, the registry (SQLite unless the config names PostgreSQL),
/// the content-addressed artifacts and stage outputs, signals, run records, logs and reports. Every run, stage, gate
/// decision, registration and promotion is appended to the registry's audit trail, and each version records its full lineage.
/// </summary>
/// <remarks>
/// Runs are idempotent and resumable: prepare, features, train and validate store their outputs under a key made of
/// their inputs' hashes, the canonical configuration hash and the code version, and a later run with the same key
/// reuses them (a run killed mid-stage redoes only the unfinished stages); registration is keyed by (model, as-of,
/// configuration, data snapshot), so it never adds a second version for the same inputs; deploy and monitor are safe to
/// repeat. One run per (model, as-of) at a time holds <see cref="RunLock"/>.
/// </remarks>
public sealed class ProductionPipeline(PipelineConfig config, string workingDirectory, Action<StageRecord>? onStageEnd = null)
{
    /// <summary>The default label is the next session's return: it ends one session after the session it is observed at (labels.horizon sets others).</summary>
    public const int LabelHorizon = 1;

    private const string IdempotencyParameter = "idempotency_key";

    /// <summary>Task name of the per-stage progress updates ("prepare ok", "train reused", …).</summary>
    public const string RunProgressTask = "run";

    public PipelineConfig Config { get; } = config;

    public string WorkingDirectory { get; } = Path.GetFullPath(workingDirectory);

    /// <summary>Receives the readable form of each structured log line (the JSON form goes to <c>logs/runs.jsonl</c>).</summary>
    public Action<string>? LogLines { get; init; }

    /// <summary>Generates and ingests synthetic bars when the store holds none, then runs the pipeline for the last stored session.</summary>
    public PipelineResult RunDemo(SyntheticMarketOptions market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Execute(market.To, RunOptions.Default, runner => runner.Run(StageName.Ingest, () =>
        {
            using var store = MarketStore.Open(StorePath);
            var existing = store.CountDailyBars();
            if (existing > 0)
            {
                return (0L, $"store already holds {existing:N0} bars; nothing to ingest");
            }

            var stored = store.IngestDailyBars(SyntheticDailyMarket.Generate(market));
            return (stored, $"{stored:N0} synthetic daily bars ({market.Symbols} symbols, {market.From:yyyy-MM-dd}..{market.To:yyyy-MM-dd}, seed {market.Seed}) → {StorePath}");
        }));
    }

    /// <summary>
    /// Generates the exchange-calendar market of <paramref name="market"/> and loads it through the store's normal
    /// ingest (listings, validated bars on the spec's calendar, corporate actions) when the store holds no bars,
    /// then runs the pipeline for the spec's last day.
    /// </summary>
    public PipelineResult RunDemo(SyntheticMarketSpec market) => RunDemo(market, RunOptions.Default);

    public PipelineResult RunDemo(SyntheticMarketSpec market, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Execute(market.To, options, runner => runner.Run(StageName.Ingest, () =>
        {
            using var store = MarketStore.Open(StorePath);
            var existing = store.CountDailyBars();
            if (existing > 0)
            {
                return (0L, $"store already holds {existing:N0} bars; nothing to ingest");
            }

            var result = store.Ingest(new SyntheticMarket(market));
            return (result.RowsStored, $"{result.RowsStored:N0} synthetic daily bars ({market.Symbols} symbols, {market.Calendar} sessions {market.From:yyyy-MM-dd}..{market.To:yyyy-MM-dd}, seed {market.Seed}) → {StorePath}");
        }));
    }

    public PipelineResult Run(DateOnly asOf) => Run(asOf, RunOptions.Default);

    /// <summary>Runs (or resumes) the pipeline for <paramref name="asOf"/>; see <see cref="RunOptions"/>.</summary>
    /// <exception cref="RunLockedException">Another run of the same model and as-of is in progress.</exception>
    /// <exception cref="PipelineStageException">A stage failed (after retrying transient failures).</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; its record says so.</exception>
    public PipelineResult Run(DateOnly asOf, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Execute(asOf, options, ingest: null);
    }

    private string StorePath => Path.Combine(WorkingDirectory, Config.MarketStorePath);

    private TransientRetry Retry => new(Config.RetryAttempts, TimeSpan.FromMilliseconds(Config.RetryBaseDelayMs));

    /// <summary>
    /// Takes the run lock, opens the run record and the registry, and appends to the audit trail: the run's start
    /// (with the configuration hash and code version), each stage's outcome as it ends, and the run's end, failed
    /// and cancelled runs included.
    /// </summary>
    private PipelineResult Execute(DateOnly requestedAsOf, RunOptions options, Action<StageRunner>? ingest)
    {
        Config.Validate();
        if (options.StopAfter is { } stop && (!StageStatus.Order.Contains(stop) || stop == StageName.Ingest))
        {
            throw new ArgumentException($"StopAfter must be one of {string.Join(", ", StageStatus.Order.Skip(1))}, got '{stop}'.", nameof(options));
        }

        Directory.CreateDirectory(WorkingDirectory);
        var ct = options.CancellationToken;
        var runId = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";
        var configHash = LineageHashes.ConfigHash(Config);
        var log = new RunLog(WorkingDirectory, runId, LogLines);
        using var runLock = RunLock.Acquire(WorkingDirectory, Config.ModelName, requestedAsOf, runId);
        var journal = new RunJournal(WorkingDirectory, new RunRecord
        {
            RunId = runId,
            Model = Config.ModelName,
            RequestedAsOf = requestedAsOf,
            ConfigHash = configHash,
            CodeVersion = CodeVersion.Current,
            Force = options.Force,
            StopAfter = options.StopAfter,
            Config = Config,
        });
        var interrupted = RunJournal.MarkInterrupted(WorkingDirectory, Config.ModelName, requestedAsOf, runId);
        var outputs = new StageOutputStore(WorkingDirectory);
        var removed = outputs.RemoveAbandoned() + RunJournal.RemoveAbandoned(WorkingDirectory);
        foreach (var dead in interrupted)
        {
            // The register stage copies the weights to a run-named temporary file before moving them into the artifact store.
            var artifactTemp = Path.Combine(WorkingDirectory, "artifacts", $".{dead}.pt");
            if (File.Exists(artifactTemp))
            {
                File.Delete(artifactTemp);
                removed++;
            }
        }

        journal.Save();
        log.Info("run.start", $"run {Config.ModelName} as of {requestedAsOf:yyyy-MM-dd}{(options.Force ? " (forced)" : string.Empty)}{(options.StopAfter is { } s ? $", stopping after {s}" : string.Empty)}; record {journal.Path}", new Dictionary<string, object?>
        {
            ["model"] = Config.ModelName,
            ["as_of"] = requestedAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["config_hash"] = configHash,
            ["code_version"] = CodeVersion.Current,
            ["force"] = options.Force,
            ["stop_after"] = options.StopAfter,
        });
        if (interrupted.Count > 0 || removed > 0)
        {
            log.Warn("run.resume", $"resuming after an interrupted run ({string.Join(", ", interrupted)}); {removed} unfinished temporary output(s) removed", new Dictionary<string, object?> { ["interrupted_runs"] = interrupted, ["removed_temporaries"] = removed });
        }

        var retry = Retry;
        void OnRetry(string what, int attempt, Exception e, TimeSpan wait) =>
            log.Warn("retry", string.Create(CultureInfo.InvariantCulture, $"{what}: attempt {attempt} of {retry.Attempts} failed ({e.Message}); retrying in {wait.TotalMilliseconds:0} ms"), new Dictionary<string, object?>
            {
                ["stage"] = what,
                ["attempt"] = attempt,
                ["delay_ms"] = wait.TotalMilliseconds,
                ["error"] = e.Message,
            });

        ModelRegistry registry;
        try
        {
            registry = retry.Run(() => ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory), ct, (a, e, d) => OnRetry("registry", a, e, d));
        }
        catch (Exception e)
        {
            journal.End(e is OperationCanceledException ? StageStatus.Cancelled : StageStatus.Failed, e.Message);
            log.Error("run.end", $"run failed: {e.Message}", new Dictionary<string, object?> { ["status"] = journal.Record.Status });
            throw;
        }

        using (registry)
        {
            if (PreviousConfigHash(registry) is { } previous && previous != configHash)
            {
                registry.Audit.Append("config.change", new { model = Config.ModelName, previous_config_hash = previous, config_hash = configHash, config = JsonDocument.Parse(LineageHashes.CanonicalConfig(Config)).RootElement });
            }

            registry.Audit.Append("run.start", new
            {
                run_id = runId,
                model = Config.ModelName,
                as_of = requestedAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                config_hash = configHash,
                code_version = CodeVersion.Current,
                working_directory = WorkingDirectory,
            });
            var stagesDone = 0;
            // The stages this run goes through (each ends as succeeded, reused, skipped or failed), for the run's progress and ETA.
            var stagesTotal = (options.StopAfter is { } last ? StageStatus.Order.TakeWhile(s => s != last).Count() : StageStatus.Order.Count - 1) + (ingest is null ? 0 : 1);
            var runner = new StageRunner(record =>
            {
                registry.Audit.Append($"stage.{record.Stage}", new { run_id = runId, status = record.Status, seconds = record.Seconds, detail = record.Detail, error = record.Error, input_hash = record.InputHash, output_hash = record.OutputHash });
                journal.Stage(record);
                var line = string.Create(CultureInfo.InvariantCulture, $"{record.Stage} {record.Status} in {record.Seconds:0.000} s: {record.Error ?? record.Detail}");
                var fields = new Dictionary<string, object?>
                {
                    ["stage"] = record.Stage,
                    ["status"] = record.Status,
                    ["seconds"] = record.Seconds,
                    ["input_hash"] = record.InputHash,
                    ["output_hash"] = record.OutputHash,
                    ["attempts"] = record.Attempts,
                    ["error"] = record.Error,
                };
                if (record.Status is StageStatus.Failed)
                {
                    log.Error("stage.end", line, fields);
                }
                else
                {
                    log.Info("stage.end", line, fields);
                }

                stagesDone++;
                options.Progress?.Report(new ProgressUpdate(RunProgressTask, stagesDone, Math.Max(stagesTotal, stagesDone), $"{record.Stage} {record.Status}"));
                onStageEnd?.Invoke(record);
            })
            {
                Outputs = outputs,
                Force = options.Force,
                CancellationToken = ct,
                Retry = retry,
                OnStageStart = record =>
                {
                    journal.Stage(record);
                    log.Info("stage.start", $"{record.Stage} started", new Dictionary<string, object?> { ["stage"] = record.Stage, ["input_hash"] = record.InputHash });
                },
                OnRetry = OnRetry,
            };
            try
            {
                ingest?.Invoke(runner);
                var result = Stages(requestedAsOf, options, runner, registry, runId, journal) with { RunRecordPath = journal.Path };
                registry.Audit.Append("run.end", new { run_id = runId, status = "ok", model = result.ModelName, version = result.Version, gate_passed = result.Gate.Passed, deployed = result.SignalsPath is not null, stopped_after = result.StoppedAfter });
                journal.End(StageStatus.Succeeded);
                log.Info("run.end", result.StoppedAfter is { } stopped
                    ? $"stopped after {stopped} as asked; outputs stored for a later run"
                    : $"{(result.SignalsPath is not null ? $"deployed {result.ModelName} v{result.Version}" : result.Gate.Passed ? "not deployed: production holds a model of a later date" : "not deployed: the gate rejected the model")}; report {result.ReportPath}", new Dictionary<string, object?>
                {
                    ["status"] = StageStatus.Succeeded,
                    ["version"] = result.Version,
                    ["gate_passed"] = result.StoppedAfter is null ? result.Gate.Passed : null,
                    ["deployed"] = result.SignalsPath is not null,
                });
                return result;
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                registry.Audit.Append("run.end", new { run_id = runId, status = StageStatus.Cancelled, error = e.Message });
                journal.End(StageStatus.Cancelled, e.Message);
                log.Warn("run.end", "run cancelled; partial outputs discarded, completed stages kept for the next run", new Dictionary<string, object?> { ["status"] = StageStatus.Cancelled });
                throw;
            }
            catch (Exception e)
            {
                registry.Audit.Append("run.end", new { run_id = runId, status = "failed", error = e.Message });
                journal.End(StageStatus.Failed, e.Message);
                log.Error("run.end", $"run failed: {e.Message}", new Dictionary<string, object?> { ["status"] = StageStatus.Failed });
                throw;
            }
        }
    }

    /// <summary>The configuration hash of this model's latest run in the audit trail, to record configuration changes.</summary>
    private string? PreviousConfigHash(ModelRegistry registry)
    {
        foreach (var entry in registry.Audit.Read().Reverse())
        {
            if (entry.Action != "run.start")
            {
                continue;
            }

            using var payload = JsonDocument.Parse(entry.PayloadJson);
            if (payload.RootElement.TryGetProperty("model", out var model) && model.GetString() == Config.ModelName)
            {
                return payload.RootElement.TryGetProperty("config_hash", out var hash) ? hash.GetString() : null;
            }
        }

        return null;
    }

    private PipelineResult Stages(DateOnly requestedAsOf, RunOptions options, StageRunner runner, ModelRegistry registry, string runId, RunJournal journal)
    {
        bool StopsAfter(string stage) => options.StopAfter == stage;

        var (prepared, preparedHash) = Prepare(requestedAsOf, runner);
        var (panel, snapshotId, asOf) = (prepared.Panel, prepared.SnapshotId, prepared.AsOf);
        journal.Record.AsOf = asOf;
        // A requested date that is not a session resolves to the last session before it: hold that date's lock too, so
        // a run asked for the session itself cannot race this one to the registry.
        using var sessionLock = asOf == requestedAsOf ? null : RunLock.Acquire(WorkingDirectory, Config.ModelName, asOf, runId);
        if (StopsAfter(StageName.Prepare))
        {
            return Partial(runId, asOf, runner, StageName.Prepare);
        }

        var (features, featuresHash) = Features(runner, prepared, preparedHash);
        if (StopsAfter(StageName.Features))
        {
            return Partial(runId, asOf, runner, StageName.Features);
        }

        var windows = Windows(panel);
        var (train, trainHash) = Train(runner, panel, features, windows, featuresHash, options.Progress);
        try
        {
            if (StopsAfter(StageName.Train))
            {
                return Partial(runId, asOf, runner, StageName.Train);
            }

            // Deflated Sharpe: every version registered under this model name counts as a trial, plus this one; a version
            // already registered for these inputs keeps the count it was validated with, so its validation is reused.
            var idempotencyKey = IdempotencyKey(asOf, snapshotId);
            var existing = FindRegistered(registry, idempotencyKey);
            var trials = existing is null ? registry.ListVersions(Config.ModelName).Count + 1 : TrialsOf(existing);
            var (validation, _) = Validate(runner, panel, features, windows, train, trials, trainHash, featuresHash);
            var trained = Trained(prepared, features, windows, train, validation);
            var metrics = trained.Metrics;
            if (StopsAfter(StageName.Validate))
            {
                return Partial(runId, asOf, runner, StageName.Validate) with { Metrics = metrics, Report = validation.Report };
            }

            var gate = runner.Run(StageName.Gate, () =>
            {
                var decision = QualityGate.Evaluate(trained.Report, Config);
                registry.Audit.Append("gate.decision", new
                {
                    run_id = runId,
                    model = Config.ModelName,
                    passed = decision.Passed,
                    rules = decision.Rules.Select(r => new { name = r.Name, value = r.Value, comparison = r.Comparison, threshold = r.Threshold, passed = r.Passed }),
                });
                return (decision, decision.Describe());
            });
            journal.Record.GatePassed = gate.Passed;
            journal.Record.Gate = gate.Describe();
            if (StopsAfter(StageName.Gate))
            {
                return Partial(runId, asOf, runner, StageName.Gate) with { Metrics = metrics, Gate = gate, Report = validation.Report };
            }

            var (registered, _) = Register(runner, registry, runId, trained, gate, idempotencyKey);
            journal.Record.Version = registered.Version;
            var result = new PipelineResult(runId, asOf, metrics, gate, registered.ModelName, registered.Version, registered.ArtifactPath, registered.ArtifactSha256, null, [], runner.Records, journal.Path)
            {
                Report = validation.Report,
            };
            if (StopsAfter(StageName.Register))
            {
                return result with { StoppedAfter = StageName.Register, Stages = [.. runner.Records] };
            }

            var signalsPath = Deploy(runner, registry, registered, gate, asOf);
            journal.Record.Deployed = signalsPath is not null;
            journal.Record.SignalsPath = signalsPath;
            if (StopsAfter(StageName.Deploy))
            {
                return result with { SignalsPath = signalsPath, StoppedAfter = StageName.Deploy, Stages = [.. runner.Records] };
            }

            var drift = Monitor(runner, registry, runId, trained, features, registered);
            var reportPath = WriteReport(runId, trained, validation, gate, registered, drift, runner.Records);
            journal.Record.ReportPath = reportPath;
            return result with { SignalsPath = signalsPath, Drift = drift, Stages = [.. runner.Records], ReportPath = reportPath };
        }
        finally
        {
            train.Model.Dispose();
        }
    }

    private PipelineResult Partial(string runId, DateOnly asOf, StageRunner runner, string stoppedAfter) =>
        new(runId, asOf, new PerformanceMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, PerformanceMetrics.DailyPeriodsPerYear),
            new GateDecision(false, []), Config.ModelName, 0, string.Empty, string.Empty, null, [], [.. runner.Records], string.Empty)
        {
            StoppedAfter = stoppedAfter,
        };

    /// <summary>The metrics stored with a version (and compared by reproduction).</summary>
    internal static Dictionary<string, double> RegisteredMetrics(TrainedModel trained)
    {
        var report = trained.Report;
        var metrics = new Dictionary<string, double>
        {
            ["sharpe"] = trained.Metrics.Sharpe,
            ["max_drawdown"] = trained.Metrics.MaxDrawdown,
            ["annual_return"] = trained.Metrics.AnnualReturn,
            ["annual_volatility"] = trained.Metrics.AnnualVolatility,
            ["turnover"] = trained.Metrics.MeanTurnover,
            ["sortino"] = report.Sortino,
            ["calmar"] = report.Calmar,
            ["hit_rate"] = report.HitRate,
            ["psr"] = report.ProbabilisticSharpe,
            ["dsr"] = report.DeflatedSharpe,
            ["trials"] = report.Trials,
            ["ic_mean"] = report.Ic?.Mean ?? double.NaN,
            ["rank_ic_mean"] = report.RankIc?.Mean ?? double.NaN,
            ["train_loss"] = trained.Training.Curve.EpochLoss[^1],
        };
        if (trained.Paths.Count > 0)
        {
            metrics["cv_paths"] = trained.Paths.Count;
            // The folds (k-fold) or paths (CPCV) the deflated Sharpe counts as trials on top of the versions before this one.
            metrics["cv_trials"] = trained.CvTrials;
            metrics["cv_path_sharpe_mean"] = trained.Paths.Average(p => p.Sharpe);
            metrics["cv_path_sharpe_worst"] = trained.Paths.Min(p => p.Sharpe);
        }

        // The registry stores JSON numbers: unbounded ratios (no losing period) and unmeasured figures are left out.
        return metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);
    }

    /// <summary>prepare → features → train → validate, always computed afresh: everything a version's weights and metrics depend on.</summary>
    /// <param name="trials">Trials behind this model for the deflated Sharpe: its version number (earlier versions + 1).</param>
    internal TrainedModel TrainAndValidate(DateOnly requestedAsOf, StageRunner runner, int trials)
    {
        var (prepared, preparedHash) = Prepare(requestedAsOf, runner);
        var (features, featuresHash) = Features(runner, prepared, preparedHash);
        var windows = Windows(prepared.Panel);
        var (train, trainHash) = Train(runner, prepared.Panel, features, windows, featuresHash, progress: null);
        var (validation, _) = Validate(runner, prepared.Panel, features, windows, train, trials, trainHash, featuresHash);
        return Trained(prepared, features, windows, train, validation);
    }

    private static TrainedModel Trained(PreparedPanel prepared, FeatureData features, RunWindows windows, TrainingOutcome train, ValidationOutcome validation) =>
        new(prepared.Panel, prepared.SnapshotId, prepared.AsOf, features.Backend, windows.TrainStart, windows.TrainEnd, train, validation.Report.ToPerformanceMetrics(), validation.Report)
        {
            // Under cross-validation the predictions span the whole cross-validated window.
            ValidationStart = validation.From >= 0 ? validation.From : windows.ValidationStart,
            ValidationEnd = windows.ValidationEnd,
            ValidationPredictions = validation.Predictions,
            Label = features.Label,
            Features = features,
            Paths = validation.Paths,
            CvTrials = validation.CvTrials,
        };

    /// <summary>
    /// The code that computes stage outputs: the commit, and the module version ids of the assemblies involved. Builds
    /// are deterministic, so a module id changes exactly when its compiled code does, uncommitted edits included.
    /// </summary>
    private static readonly Lazy<string> StageCode = new(() => string.Join(
        ";",
        CodeVersion.Current,
        typeof(Panel).Assembly.ManifestModule.ModuleVersionId,
        typeof(MarketStore).Assembly.ManifestModule.ModuleVersionId,
        typeof(MlpTrainer).Assembly.ManifestModule.ModuleVersionId,
        typeof(ProductionPipeline).Assembly.ManifestModule.ModuleVersionId));

    /// <summary>A content key: stage name, input hashes, the canonical configuration hash and the code version.</summary>
    private string Key(string stage, params string[] inputs) =>
        LineageHashes.Sha256(string.Join("\n", [stage, LineageHashes.ConfigHash(Config), StageCode.Value, .. inputs]));

    /// <summary>prepare: point in time — only bars dated at or before the as-of are loaded. Keyed by the store's ingest history.</summary>
    private (PreparedPanel Prepared, string Hash) Prepare(DateOnly requestedAsOf, StageRunner runner) =>
        runner.Cached(
            StageName.Prepare,
            () =>
            {
                using var store = MarketStore.Open(StorePath, readOnly: true);
                // Every ingest (bars, listings, corporate actions, universes) is a batch with its content hash: the
                // list of batches identifies what the store holds without reading the bars.
                var batches = string.Join(",", store.Batches().Select(b => $"{b.BatchId}:{b.ContentSha256}"));
                return Key(StageName.Prepare, requestedAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LineageHashes.Sha256(batches));
            },
            () =>
            {
                using var store = MarketStore.Open(StorePath, readOnly: true);
                var (loaded, id) = ModelInputs.Load(store, Config, requestedAsOf, workingDirectory: WorkingDirectory);
                return (new PreparedPanel(loaded, id), Describe(loaded, id));
            },
            (prepared, dir) =>
            {
                PanelIpc.WriteFile(prepared.Panel, Path.Combine(dir, "panel.arrow"));
                File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new PrepareMeta(prepared.SnapshotId)));
            },
            dir =>
            {
                var panel = PanelIpc.ReadFile(Path.Combine(dir, "panel.arrow"));
                var meta = JsonSerializer.Deserialize<PrepareMeta>(File.ReadAllText(Path.Combine(dir, "meta.json")))!;
                return (new PreparedPanel(panel, meta.SnapshotId), Describe(panel, meta.SnapshotId));
            });

    private static string Describe(Panel panel, string snapshotId) =>
        $"{panel.T} sessions × {panel.N} symbols up to {DateOnly.FromDateTime(panel.Timestamps[^1]):yyyy-MM-dd}, snapshot {snapshotId}";

    /// <summary>True when this configuration runs the pipeline's original path (six features, MLP trainer, walk-forward).</summary>
    private bool Legacy => ComponentRules.IsLegacy(Config);

    /// <summary>features: the raw features are added to the prepared panel (monitoring reads them); the model inputs are their z-scores.</summary>
    private (FeatureData Features, string Hash) Features(StageRunner runner, PreparedPanel prepared, string preparedHash) =>
        Legacy ? LegacyFeatures(runner, prepared, preparedHash) : ComponentFeatures(runner, prepared, preparedHash);

    /// <summary>features for a configured feature set: its raw values (the model's processors transform them) and the configured label; the prepared panel is not written to.</summary>
    private (FeatureData Features, string Hash) ComponentFeatures(StageRunner runner, PreparedPanel prepared, string preparedHash)
    {
        var panel = prepared.Panel;
        int t = panel.T, n = panel.N;
        var set = ModelInputs.FeatureSetOf(Config, WorkingDirectory);
        string Detail(FeatureData f) =>
            $"{f.Names.Count} features of {set.Name} (version {f.Version}{(f.Dropped.Count > 0 ? $"; dropped {string.Join(", ", f.Dropped)}" : string.Empty)}) on the {f.Backend} backend; label {PipelineLabels.Id(Config)}";
        return runner.Cached(
            StageName.Features,
            () => Key(StageName.Features, preparedHash, set.Version, Config.ComputeBackend),
            () =>
            {
                var backend = ModelInputs.Backend(Config);
                var frame = PipelineFeatures.Compute(set, panel, backend);
                var features = new FeatureData(frame.Values, PipelineLabels.Compute(Config, panel.Field("close"), t, n), backend.Name)
                {
                    Names = frame.Names,
                    Version = frame.Version,
                    Dropped = frame.Dropped,
                    Raw = true,
                };
                return (features, Detail(features));
            },
            (features, dir) =>
            {
                var stored = new Panel(panel.Timestamps, panel.Symbols) { Calendar = panel.Calendar };
                panel.Membership.CopyTo(stored.Membership, 0);
                for (var f = 0; f < features.Names.Count; f++)
                {
                    stored.SetField("input." + features.Names[f], features.Inputs[f]);
                }

                stored.SetField("label", features.Label);
                PanelIpc.WriteFile(stored, Path.Combine(dir, "features.arrow"));
                File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new ComponentFeaturesMeta(features.Backend, features.Version, [.. features.Names], [.. features.Dropped])));
            },
            dir =>
            {
                var stored = PanelIpc.ReadFile(Path.Combine(dir, "features.arrow"));
                var meta = JsonSerializer.Deserialize<ComponentFeaturesMeta>(File.ReadAllText(Path.Combine(dir, "meta.json")))!;
                if (stored.T != t || !stored.Symbols.SequenceEqual(panel.Symbols, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"Stored features in {dir} do not match the prepared panel ({stored.T}×{stored.N} vs {t}×{n}).");
                }

                var features = new FeatureData([.. meta.Names.Select(name => stored.Field("input." + name))], stored.Field("label"), meta.Backend)
                {
                    Names = meta.Names,
                    Version = meta.Version,
                    Dropped = meta.Dropped,
                    Raw = true,
                };
                return (features, Detail(features));
            });
    }

    private (FeatureData Features, string Hash) LegacyFeatures(StageRunner runner, PreparedPanel prepared, string preparedHash)
    {
        var panel = prepared.Panel;
        int t = panel.T, n = panel.N;
        var names = SkeletonFeatureSet.Names;
        string Detail(string backend) =>
            $"{names.Length} features ({string.Join(", ", names)}, version {LineageHashes.FeatureSetVersion()}) on the {backend} backend; label = next-session return";
        return runner.Cached(
            StageName.Features,
            () => Key(StageName.Features, preparedHash, LineageHashes.FeatureSetVersion(), Config.ComputeBackend),
            () =>
            {
                var backend = ModelInputs.Backend(Config);
                var inputs = ModelInputs.Compute(panel, backend, (float)Config.FeatureZScoreClip);
                var forward = new float[t * n];
                PanelOps.ForwardReturn(panel.Field("close"), forward, t, n, LabelHorizon);
                return (new FeatureData(inputs, forward, backend.Name) { Version = LineageHashes.FeatureSetVersion() }, Detail(backend.Name));
            },
            (features, dir) =>
            {
                var stored = new Panel(panel.Timestamps, panel.Symbols) { Calendar = panel.Calendar };
                panel.Membership.CopyTo(stored.Membership, 0);
                for (var f = 0; f < names.Length; f++)
                {
                    stored.SetField(names[f], panel.Field(names[f]));
                    stored.SetField("input." + names[f], features.Inputs[f]);
                }

                stored.SetField("label", features.Label);
                PanelIpc.WriteFile(stored, Path.Combine(dir, "features.arrow"));
                File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new FeaturesMeta(features.Backend, LineageHashes.FeatureSetVersion())));
            },
            dir =>
            {
                var stored = PanelIpc.ReadFile(Path.Combine(dir, "features.arrow"));
                var meta = JsonSerializer.Deserialize<FeaturesMeta>(File.ReadAllText(Path.Combine(dir, "meta.json")))!;
                if (stored.T != t || !stored.Symbols.SequenceEqual(panel.Symbols, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"Stored features in {dir} do not match the prepared panel ({stored.T}×{stored.N} vs {t}×{n}).");
                }

                var inputs = new float[names.Length][];
                for (var f = 0; f < names.Length; f++)
                {
                    panel.SetField(names[f], stored.Field(names[f]));
                    inputs[f] = stored.Field("input." + names[f]);
                }

                return (new FeatureData(inputs, stored.Field("label"), meta.Backend) { Version = meta.FeatureSetVersion }, Detail(meta.Backend));
            });
    }

    /// <summary>
    /// Training and validation rows from <see cref="WalkForwardSplitter"/>: the retrain date is the session after the
    /// as-of (the first the new model trades), validation the sessions before it and training the sessions before
    /// those. Each window spans its samples plus the label horizon, which purging removes (a label may not reach into
    /// the next window, nor past the as-of), so the configured windows count the samples trained and validated on.
    /// </summary>
    public RunWindows Windows(Panel panel)
    {
        var t = panel.T;
        var sessions = new DateOnly[t + 1];
        for (var i = 0; i < t; i++)
        {
            sessions[i] = DateOnly.FromDateTime(panel.Timestamps[i]);
        }

        sessions[t] = ExchangeCalendars.Get(Config.Exchange).NextSession(sessions[t - 1]);
        var horizon = PipelineLabels.EndOffset(Config);
        var spans = new LabelSpan[t];
        for (var i = 0; i < t; i++)
        {
            spans[i] = new LabelSpan(i, i + horizon);
        }

        var split = WalkForwardSplitter.Split(sessions, spans, [sessions[t]], new WalkForwardOptions
        {
            TrainingSessions = Config.TrainingWindowDays + horizon,
            ValidationSessions = Config.ValidationWindowDays + horizon,
        }).Single();
        var validation = split.Validation;
        if (split.Train.Length == 0 || validation.Length == 0 || validation[^1] - validation[0] + 1 != validation.Length)
        {
            throw new InvalidOperationException($"The walk-forward split for {sessions[t - 1]:yyyy-MM-dd} left {split.Train.Length} training and {validation.Length} validation samples; ingest more history or shorten the windows.");
        }

        return new RunWindows(split.Train, validation[0], validation[^1]);
    }

    private (TrainingOutcome Training, string Hash) Train(StageRunner runner, Panel panel, FeatureData features, RunWindows windows, string featuresHash, IProgress<ProgressUpdate>? progress) =>
        Legacy ? LegacyTrain(runner, panel, features, windows, featuresHash, progress) : ComponentTrain(runner, panel, features, windows, featuresHash);

    /// <summary>The validation scheme the configuration names.</summary>
    private ValidationSchemeKind Scheme => ComponentRegistry.ValidationSchemes.Get(Config.ValidationScheme).Value;

    /// <summary>
    /// Rows the deployed model is fitted on: the training window under walk-forward; under purged k-fold and CPCV, which
    /// validate by refitting on folds, the whole training and validation window.
    /// </summary>
    private int[] FitRows(RunWindows windows) => Scheme == ValidationSchemeKind.WalkForward
        ? windows.TrainRows
        : [.. Enumerable.Range(windows.TrainStart, windows.ValidationEnd - windows.TrainStart + 1)];

    /// <summary>train for a configured model: the training library's trainer (or LightGBM) on the feature set's processed values.</summary>
    private (TrainingOutcome Training, string Hash) ComponentTrain(StageRunner runner, Panel panel, FeatureData features, RunWindows windows, string featuresHash)
    {
        var rows = FitRows(windows);
        string Detail(TrainingOutcome o) =>
            $"{Config.ModelKind} on {features.Names.Count} {Config.FeatureTransform} features, {o.Curve.Device}, {o.Rows:N0} samples ({Date(panel, rows[0])}..{Date(panel, rows[^1])}), " +
            (o.Rounds > 0 ? $"{o.Rounds} rounds, validation L2 {o.Curve.EpochLoss[^1]:0.0000}" : $"loss {o.Curve.EpochLoss[0]:0.0000} → {o.Curve.EpochLoss[^1]:0.0000}");
        return runner.Cached(
            StageName.Train,
            () => Key(StageName.Train, featuresHash, string.Join(",", rows.Length, rows[0], rows[^1])),
            () =>
            {
                var (model, fit) = ComponentModel.Train(Config, features.Names, features.Inputs, features.Label, panel, rows, runner.CancellationToken);
                var outcome = new TrainingOutcome(model, new TrainingCurve(fit.Loss, double.NaN, fit.Device), fit.Rows, [.. Config.HiddenLayers])
                {
                    Processors = model.Processors,
                    Rounds = model.Rounds,
                };
                return (outcome, Detail(outcome));
            },
            (outcome, dir) =>
            {
                outcome.Model.Save(Path.Combine(dir, "model.bin"));
                File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new ComponentTrainMeta([.. outcome.Curve.EpochLoss], outcome.Curve.Device, outcome.Rows, outcome.Processors!, outcome.Rounds)));
            },
            dir =>
            {
                var meta = JsonSerializer.Deserialize<ComponentTrainMeta>(File.ReadAllText(Path.Combine(dir, "meta.json")))!;
                var model = ComponentModel.Load(Config, meta.Processors, File.ReadAllBytes(Path.Combine(dir, "model.bin")));
                var outcome = new TrainingOutcome(model, new TrainingCurve(meta.Loss, double.NaN, meta.Device), meta.Rows, [.. Config.HiddenLayers])
                {
                    Processors = meta.Processors,
                    Rounds = meta.Rounds,
                };
                return (outcome, Detail(outcome));
            });
    }

    private (TrainingOutcome Training, string Hash) LegacyTrain(StageRunner runner, Panel panel, FeatureData features, RunWindows windows, string featuresHash, IProgress<ProgressUpdate>? progress)
    {
        int t = panel.T, n = panel.N;
        var columns = features.Inputs.Length;
        var options = Config.Training();
        static string Detail(TrainingOutcome o, int columns) =>
            $"MLP {columns}→{string.Join("→", o.Hidden)}→1 on {o.Curve.Device}, {o.Rows:N0} samples, loss {o.Curve.EpochLoss[0]:0.0000} → {o.Curve.EpochLoss[^1]:0.0000}" +
            (double.IsFinite(o.Curve.SamplesPerSecond) ? $", {o.Curve.SamplesPerSecond:N0} samples/s" : string.Empty);
        return runner.Cached(
            StageName.Train,
            () => Key(StageName.Train, featuresHash, string.Join(",", windows.TrainRows.Length, windows.TrainStart, windows.TrainEnd)),
            () =>
            {
                var zLabel = new float[t * n];
                PanelOps.CrossSectionalZScore(features.Label, zLabel, panel.Membership, t, n, clip: (float)Config.LabelZScoreClip);
                var (x, y, rows) = Samples(features.Inputs, zLabel, windows.TrainRows, n);
                var (model, curve) = MlpTrainer.Train(x, y, rows, columns, options, progress, runner.CancellationToken);
                var outcome = new TrainingOutcome(new LegacyMlpModel(model), curve, rows, options.Hidden);
                return (outcome, Detail(outcome, columns));
            },
            (outcome, dir) =>
            {
                outcome.Model.Save(Path.Combine(dir, "model.pt"));
                File.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(new TrainMeta([.. outcome.Curve.EpochLoss], outcome.Curve.Device, outcome.Rows, [.. outcome.Hidden])));
            },
            dir =>
            {
                var meta = JsonSerializer.Deserialize<TrainMeta>(File.ReadAllText(Path.Combine(dir, "meta.json")))!;
                var model = new MlpRegressor(columns, meta.Hidden);
                model.load(Path.Combine(dir, "model.pt"));
                model.eval();
                var outcome = new TrainingOutcome(new LegacyMlpModel(model), new TrainingCurve(meta.EpochLoss, double.NaN, meta.Device), meta.Rows, meta.Hidden);
                return (outcome, Detail(outcome, columns));
            });
    }

    /// <summary>validate: the model's scores over the validation rows, traded long-short net of costs. The stored predictions are re-evaluated on reuse.</summary>
    private (ValidationOutcome Validation, string Hash) Validate(StageRunner runner, Panel panel, FeatureData features, RunWindows windows, TrainingOutcome train, int trials, string trainHash, string featuresHash)
    {
        if (Scheme != ValidationSchemeKind.WalkForward)
        {
            return CrossValidate(runner, panel, features, windows, trials, trainHash, featuresHash);
        }

        int n = panel.N;
        var (from, to) = (windows.ValidationStart, windows.ValidationEnd);
        var length = to - from + 1;
        return runner.Cached(
            StageName.Validate,
            () => Key(StageName.Validate, trainHash, featuresHash, string.Join(",", from, to, trials)),
            () => Evaluate(panel, features, from, to, train.Model.Predict(features.Inputs, panel, from, to), trials),
            (validation, dir) =>
            {
                File.WriteAllBytes(Path.Combine(dir, "predictions.f32"), MemoryMarshal.AsBytes(validation.Predictions.AsSpan()).ToArray());
                File.WriteAllText(Path.Combine(dir, "report.json"), JsonSerializer.Serialize(validation.Report.ToDictionary(), new JsonSerializerOptions { WriteIndented = true }));
            },
            dir => Evaluate(panel, features, from, to, ReadPredictions(dir, "predictions.f32", length * n), trials));
    }

    private static float[] ReadPredictions(string dir, string file, int count)
    {
        var bytes = File.ReadAllBytes(Path.Combine(dir, file));
        if (bytes.Length != count * sizeof(float))
        {
            throw new InvalidDataException($"{dir}: {bytes.Length} bytes of predictions in {file}; {count} float32 values expected.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>
    /// validate under purged k-fold or CPCV, over the whole training and validation window: each split's model is
    /// fitted on its purged and embargoed training folds and scores its test folds; the splits' scores join into paths
    /// (one for k-fold, C(N-1, k-1) for CPCV), each backtested. The gate reads the backtest of the path-averaged
    /// scores; every path's figures are reported, and the deflated Sharpe counts the folds (k-fold) or paths (CPCV) as trials.
    /// </summary>
    private (ValidationOutcome Validation, string Hash) CrossValidate(StageRunner runner, Panel panel, FeatureData features, RunWindows windows, int trials, string trainHash, string featuresHash)
    {
        var n = panel.N;
        var (from, to) = (windows.TrainStart, windows.ValidationEnd);
        var length = to - from + 1;
        var horizon = PipelineLabels.EndOffset(Config);
        var spans = Enumerable.Range(0, length).Select(i => new LabelSpan(i, i + horizon)).ToArray();
        var cpcv = Scheme == ValidationSchemeKind.CombinatorialPurgedCv
            ? CombinatorialPurgedCv.Create(spans, Config.ValidationFolds, Config.ValidationTestFolds, Config.ValidationEmbargoSessions)
            : null;
        var splits = cpcv?.Splits ?? PurgedKFold.Split(spans, Config.ValidationFolds, Config.ValidationEmbargoSessions);
        var pathCount = cpcv?.Paths.Length ?? 1;
        var cvTrials = trials - 1 + (cpcv is null ? Config.ValidationFolds : pathCount);

        (ValidationOutcome, string) Outcome(float[][] paths)
        {
            var reports = paths.Select(p => Evaluate(panel, features, from, to, p, cvTrials).Validation.Report).ToList();
            var mean = new float[length * n];
            for (var c = 0; c < mean.Length; c++)
            {
                var sum = 0.0;
                foreach (var p in paths)
                {
                    sum += p[c];
                }

                mean[c] = (float)(sum / paths.Length);
            }

            var (averaged, detail) = Evaluate(panel, features, from, to, mean, cvTrials);
            var sharpes = reports.Select(r => r.Sharpe).ToArray();
            // The gate reads the cross-validated figures: the mean over the paths, and the worst path's drawdown. The
            // IC, turnover and deflated Sharpe are those of the path-averaged scores.
            var worst = reports.MinBy(r => r.MaxDrawdown.Depth)!;
            var gated = averaged.Report with
            {
                Sharpe = sharpes.Average(),
                Sortino = reports.Average(r => r.Sortino),
                AnnualReturn = reports.Average(r => r.AnnualReturn),
                AnnualVolatility = reports.Average(r => r.AnnualVolatility),
                Calmar = reports.Average(r => r.Calmar),
                HitRate = reports.Average(r => r.HitRate),
                MaxDrawdown = worst.MaxDrawdown,
                MaxDrawdownPeakDate = worst.MaxDrawdownPeakDate,
                MaxDrawdownTroughDate = worst.MaxDrawdownTroughDate,
                MaxDrawdownRecoveryDate = worst.MaxDrawdownRecoveryDate,
            };
            var validation = averaged with { Report = gated };
            return (validation with { From = from, Paths = reports, PathScores = [.. paths.SelectMany(p => p)], CvTrials = cvTrials - trials + 1 },
                $"{Config.ValidationScheme} over {Date(panel, from)}..{Date(panel, to)}: {splits.Count} split(s), {pathCount} path(s), path Sharpe {string.Join(" ", sharpes.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))} (mean {sharpes.Average():0.00}, worst {sharpes.Min():0.00}); the gate reads the mean Sharpe and the worst drawdown {worst.MaxDrawdown.Depth:P2}; path-averaged scores: {detail}");
        }

        return runner.Cached(
            StageName.Validate,
            () => Key(StageName.Validate, trainHash, featuresHash, string.Join(",", from, to, trials, Config.ValidationScheme)),
            () =>
            {
                var bySplit = new float[splits.Count][];
                for (var k = 0; k < splits.Count; k++)
                {
                    var split = splits[k];
                    var (model, _) = ComponentModel.Train(Config, features.Names, features.Inputs, features.Label, panel, [.. split.Train.Select(i => from + i)], runner.CancellationToken);
                    using (model)
                    {
                        bySplit[k] = model.Predict(features.Inputs, panel, from, to);
                    }
                }

                var paths = new float[pathCount][];
                for (var p = 0; p < pathCount; p++)
                {
                    paths[p] = new float[length * n];
                    Array.Fill(paths[p], float.NaN);
                    for (var k = 0; k < splits.Count; k++)
                    {
                        IEnumerable<int> rows = cpcv is null
                            ? splits[k].Test
                            : Enumerable.Range(0, cpcv.Groups.Length).Where(g => cpcv.Paths[p][g] == k).SelectMany(g => Enumerable.Range(cpcv.Groups[g].First, cpcv.Groups[g].Last - cpcv.Groups[g].First + 1));
                        foreach (var row in rows)
                        {
                            bySplit[k].AsSpan(row * n, n).CopyTo(paths[p].AsSpan(row * n, n));
                        }
                    }
                }

                return Outcome(paths);
            },
            (validation, dir) =>
            {
                // The paths are what the figures come from; the averaged scores are recomputed from them on reuse.
                File.WriteAllBytes(Path.Combine(dir, "predictions.f32"), MemoryMarshal.AsBytes(validation.Predictions.AsSpan()).ToArray());
                File.WriteAllText(Path.Combine(dir, "report.json"), JsonSerializer.Serialize(validation.Report.ToDictionary(), new JsonSerializerOptions { WriteIndented = true }));
                File.WriteAllText(Path.Combine(dir, "paths.json"), JsonSerializer.Serialize(validation.Paths.Select(r => r.ToDictionary()), new JsonSerializerOptions { WriteIndented = true }));
                File.WriteAllBytes(Path.Combine(dir, "paths.f32"), MemoryMarshal.AsBytes(validation.PathScores.AsSpan()).ToArray());
            },
            dir =>
            {
                var flat = ReadPredictions(dir, "paths.f32", pathCount * length * n);
                var paths = Enumerable.Range(0, pathCount).Select(p => flat.AsSpan(p * length * n, length * n).ToArray()).ToArray();
                return Outcome(paths);
            });
    }

    private (ValidationOutcome Validation, string Detail) Evaluate(Panel panel, FeatureData features, int from, int to, float[] predictions, int trials)
    {
        var n = panel.N;
        var length = to - from + 1;
        var realised = features.Label.AsSpan(from * n, length * n);
        var result = LongShortBacktest.Run(predictions, realised, length, n, Config.BacktestQuantile, Config.BacktestCostBps);
        var grossExposure = new double[length];
        for (var i = 0; i < length; i++)
        {
            grossExposure[i] = result.LongCount[i] > 0 ? 1.0 : 0.0;
        }

        DateOnly[] dates = [.. Enumerable.Range(from, length).Select(i => DateOnly.FromDateTime(panel.Timestamps[i]))];
        var ic = InformationCoefficient.PerBar(predictions, realised, length, n);
        var rankIc = InformationCoefficient.RankPerBar(predictions, realised, length, n);
        var r = MetricReport.Compute(
            result.NetReturns,
            new MetricOptions { PeriodsPerYear = PerformanceMetrics.DailyPeriodsPerYear, Trials = trials, Dates = dates },
            result.Turnover,
            grossExposure,
            InformationCoefficient.Summarise(ic),
            InformationCoefficient.Summarise(rankIc));
        var detail = $"long-short {Config.BacktestQuantile:P0} quantiles over {length} sessions ({Date(panel, from)}..{Date(panel, to)}), net of {Config.BacktestCostBps} bp: Sharpe {r.Sharpe:0.00}, max drawdown {r.MaxDrawdown.Depth:P2}, annual return {r.AnnualReturn:P2} (annualised ×252), Rank IC {r.RankIc!.Mean:0.0000}, DSR {r.DeflatedSharpe:0.000} over {trials} trial(s)";
        return (new ValidationOutcome(r, predictions, result.NetReturns, ic, rankIc, dates), detail);
    }

    /// <summary>What makes two registrations the same: model, as-of, canonical configuration and data snapshot.</summary>
    private string IdempotencyKey(DateOnly asOf, string snapshotId) =>
        LineageHashes.Sha256(string.Join("\n", Config.ModelName, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LineageHashes.ConfigHash(Config), snapshotId));

    private ModelVersion? FindRegistered(ModelRegistry registry, string idempotencyKey) =>
        registry.ListVersions(Config.ModelName).FirstOrDefault(v => v.Parameters.TryGetValue(IdempotencyParameter, out var k) && k == idempotencyKey);

    /// <summary>
    /// The trials a version was validated with before cross-validation added its folds or paths: what validate is given
    /// to reproduce the version's deflated Sharpe.
    /// </summary>
    internal static int TrialsOf(ModelVersion version) =>
        version.Metrics.TryGetValue("trials", out var trials)
            ? (int)trials - (version.Metrics.TryGetValue("cv_trials", out var cv) ? (int)cv - 1 : 0)
            : version.Version;

    /// <summary>register: idempotent — a version already registered under the same key is returned, never a second one.</summary>
    private (ModelVersion Version, string Hash) Register(StageRunner runner, ModelRegistry registry, string runId, TrainedModel trained, GateDecision gate, string idempotencyKey)
    {
        var (panel, train) = (trained.Panel, trained.Training);
        return runner.Cached(
            StageName.Register,
            () => idempotencyKey,
            () =>
            {
                if (FindRegistered(registry, idempotencyKey) is { } existing)
                {
                    return (existing, $"{existing.ModelName} version {existing.Version} ({existing.Status}) is already registered for these inputs (idempotency key {idempotencyKey[..16]}); no new version");
                }

                var store = new ContentAddressedArtifactStore(Path.Combine(WorkingDirectory, "artifacts"));
                var temp = Path.Combine(store.Root, $".{runId}.pt");
                Directory.CreateDirectory(store.Root);
                train.Model.Save(temp);
                var (sha, artifact) = store.Put(temp, move: true);
                var parent = registry.GetAlias(Config.ModelName, ModelRegistry.Production)?.Version;
                var features = trained.Features!;
                var monitoringReference = MonitoringReferenceBuilder.WriteNextTo(artifact, MonitoringReferenceBuilder.Build(
                    Config.ModelName, MonitoredPanel(panel, features), features.Names, trained.TrainStart, trained.TrainEnd, trained.ValidationStart, trained.ValidationEnd, trained.ValidationPredictions, trained.Label, trained.Metrics.Sharpe));
                var parameters = new Dictionary<string, string>
                {
                    ["features"] = string.Join(",", features.Names),
                    ["hidden"] = string.Join(",", train.Hidden),
                        ["epochs"] = Config.TrainingEpochs.ToString(CultureInfo.InvariantCulture),
                        ["seed"] = Config.Seed.ToString(CultureInfo.InvariantCulture),
                        ["training_window_days"] = Config.TrainingWindowDays.ToString(CultureInfo.InvariantCulture),
                        ["validation_window_days"] = Config.ValidationWindowDays.ToString(CultureInfo.InvariantCulture),
                        ["training_range"] = $"{Date(panel, trained.TrainStart)}..{Date(panel, trained.TrainEnd)}",
                        ["data_snapshot"] = trained.SnapshotId,
                        ["compute_backend"] = trained.Backend,
                        ["run_id"] = runId,
                    [IdempotencyParameter] = idempotencyKey,
                    [MonitoringNames.ReferenceParameter] = monitoringReference,
                };
                if (!Legacy)
                {
                    var record = ComponentRecord.Of(Config, features, train, trained.Paths.Count);
                    parameters[ComponentRecord.Parameter] = record.ToJson();
                    parameters["model_kind"] = record.Model;
                    parameters["feature_set"] = record.FeatureSet;
                    parameters["feature_set_version"] = record.FeatureSetVersion;
                    parameters["transform"] = record.Transform;
                    parameters["label"] = record.Label;
                    parameters["validation_scheme"] = record.ValidationScheme;
                }

                var version = registry.Register(new ModelVersionRequest(
                    Config.ModelName,
                    trained.AsOf,
                    gate.Passed ? "approved" : "rejected",
                    RegisteredMetrics(trained),
                    parameters,
                    artifact,
                    sha)
                {
                    Tags = new Dictionary<string, string> { ["universe"] = Config.Universe, ["gate"] = gate.Passed ? "pass" : "fail" },
                    Lineage = new ModelLineage(
                        trained.SnapshotId,
                        Legacy ? LineageHashes.FeatureSetVersion() : features.Version,
                        LineageHashes.ConfigHash(Config),
                        CodeVersion.Current,
                        Config.Seed,
                        DateOnly.ParseExact(Date(panel, trained.TrainStart), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        DateOnly.ParseExact(Date(panel, trained.TrainEnd), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                        parent)
                    {
                        ConfigJson = LineageHashes.CanonicalConfig(Config),
                    },
                });
                return (version, $"{version.ModelName} version {version.Version} ({version.Status}), artifact {Path.GetFileName(artifact)}");
            },
            (version, dir) => File.WriteAllText(Path.Combine(dir, "version.json"), JsonSerializer.Serialize(new RegisterMeta(version.ModelName, version.Version, version.ArtifactSha256))),
            dir =>
            {
                // The registry is the truth: the stored note is used only while the version it names still carries this key.
                var meta = JsonSerializer.Deserialize<RegisterMeta>(File.ReadAllText(Path.Combine(dir, "version.json")))!;
                var version = FindRegistered(registry, idempotencyKey);
                return version is not null && version.Version == meta.Version && version.ArtifactSha256 == meta.ArtifactSha256
                    ? (version, $"{version.ModelName} version {version.Version} ({version.Status}) already registered for these inputs; no new version")
                    : null;
            });
    }

    /// <summary>deploy: safe to repeat — never promotes a version trained as of an earlier date than production's, and rewrites the as-of's signals identically.</summary>
    private string? Deploy(StageRunner runner, ModelRegistry registry, ModelVersion registered, GateDecision gate, DateOnly asOf)
    {
        if (!gate.Passed)
        {
            runner.Skip(StageName.Deploy, "the gate rejected the model; the previous deployment stays");
            return null;
        }

        if (registry.GetAlias(registered.ModelName, ModelRegistry.Production)?.Version is int holder
            && registry.GetVersion(registered.ModelName, holder) is var production
            && production.AsOf > registered.AsOf)
        {
            // A run of an older date (a backfill, or a rerun) must not take production back to an older model, nor
            // score its date with a model trained later.
            runner.Skip(StageName.Deploy, $"production holds v{holder}, trained as of {production.AsOf:yyyy-MM-dd}, later than this version's {registered.AsOf:yyyy-MM-dd}; v{registered.Version} is not promoted and the date's signals are left as they are");
            return null;
        }

        return runner.Run(StageName.Deploy, () =>
        {
            var current = registry.GetAlias(registered.ModelName, ModelRegistry.Production)?.Version;
            string move;
            if (current == registered.Version)
            {
                move = $"production already v{registered.Version}";
            }
            else
            {
                var promotion = registry.Promote(registered.ModelName, registered.Version, ModelRegistry.Production);
                move = $"production {(promotion.PreviousVersion is int p ? $"v{p}" : "none")} → v{registered.Version}";
            }

            var inference = BatchInference.Run(registry, WorkingDirectory, registered.ModelName, asOf);
            return (inference.CsvPath, $"{move}; signals for {asOf:yyyy-MM-dd} from {inference.ModelName} v{inference.Version} ({inference.Rows.Count} symbols) → {inference.CsvPath} (+ .parquet, .arrow, signals table)");
        });
    }

    /// <summary>
    /// monitor: drift of each feature and of the predictions over the configured trailing window of sessions against
    /// the registered version's training reference (PSI, KS, Jensen–Shannon and missing-rate change, all features in
    /// one batched kernel call), levelled by the configured PSI warn and alert. Read-only apart from the audit trail,
    /// which records the figures for the version and an alert per series at or above the alert level.
    /// </summary>
    private IReadOnlyList<FeatureDrift> Monitor(StageRunner runner, ModelRegistry registry, string runId, TrainedModel trained, FeatureData features, ModelVersion registered) =>
        runner.Run(StageName.Monitor, () =>
        {
            var panel = trained.Panel;
            int t = panel.T, n = panel.N;
            var options = Config.Monitor();
            var window = Math.Min(options.DriftWindowSessions, t);
            var from = t - window;
            var watchedPanel = MonitoredPanel(panel, features);
            var reference = registered.Parameters.TryGetValue(MonitoringNames.ReferenceParameter, out var path) && File.Exists(path)
                ? MonitoringReference.Load(path)
                : MonitoringReferenceBuilder.Build(Config.ModelName, watchedPanel, features.Names, trained.TrainStart, trained.TrainEnd, trained.ValidationStart, trained.ValidationEnd, trained.ValidationPredictions, trained.Label, trained.Metrics.Sharpe);

            // One [series × cells] block: each feature's window, then the predictions over the same sessions.
            FeatureReference[] watched = [.. reference.Features, reference.Prediction];
            var cells = window * n;
            var block = new float[watched.Length * cells];
            for (var f = 0; f < reference.Features.Count; f++)
            {
                watchedPanel.Field(reference.Features[f].Name).AsSpan(from * n, cells).CopyTo(block.AsSpan(f * cells));
            }

            trained.Training.Model.Predict(features.Inputs, panel, from, t - 1).AsSpan().CopyTo(block.AsSpan(reference.Features.Count * cells));
            var figures = DriftKernels.Compute(watched, block, cells, options.Drift);
            var list = figures.Select(d => new FeatureDrift(d.Name, d.Psi, d.PsiLevel.ToString().ToLowerInvariant())
            {
                KsStatistic = d.KsStatistic,
                KsPValue = d.KsPValue,
                JsDistance = d.JsDistance,
                MissingRateChange = d.MissingRateChange,
            }).ToList();
            new MonitorStageDrift(Config.ModelName, registered.Version, trained.AsOf, DateOnly.FromDateTime(panel.Timestamps[from]), DateOnly.FromDateTime(panel.Timestamps[t - 1]), list)
                .AppendTo(registry.Audit, runId);
            foreach (var alert in figures.Where(d => d.PsiLevel == DriftLevel.Alert))
            {
                registry.Audit.Append("monitor.alert", new
                {
                    run_id = runId,
                    model = Config.ModelName,
                    version = registered.Version,
                    kind = alert.Name == MonitoringNames.Prediction ? "prediction_drift" : "feature_drift",
                    feature = alert.Name,
                    psi = alert.Psi,
                    ks_statistic = alert.KsStatistic,
                    js_distance = alert.JsDistance,
                    threshold = options.Drift.PsiAlert,
                });
            }

            var detail = string.Create(CultureInfo.InvariantCulture, $"drift of the last {window} sessions vs the training reference of v{registered.Version} (PSI warn {options.Drift.PsiWarn}, alert {options.Drift.PsiAlert}): ")
                + string.Join(", ", list.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Feature} PSI {d.Psi:0.000} KS {d.KsStatistic:0.000} JS {d.JsDistance:0.000} {d.Level}")));
            return ((IReadOnlyList<FeatureDrift>)list, detail);
        });

    /// <summary>
    /// The panel whose fields monitoring watches: the prepared panel itself for the default configuration (its features
    /// stage adds the raw six there), otherwise a separate panel of the feature set's raw values.
    /// </summary>
    private Panel MonitoredPanel(Panel panel, FeatureData features)
    {
        if (!features.Raw)
        {
            return panel;
        }

        var watched = new Panel(panel.Timestamps, panel.Symbols) { Calendar = panel.Calendar };
        panel.Membership.CopyTo(watched.Membership, 0);
        for (var f = 0; f < features.Names.Count; f++)
        {
            watched.SetField(features.Names[f], features.Inputs[f]);
        }

        return watched;
    }

    private string WriteReport(string runId, TrainedModel trained, ValidationOutcome validation, GateDecision gate, ModelVersion version, IReadOnlyList<FeatureDrift> drift, IReadOnlyList<StageRecord> stages) =>
        RunReport.Write(
            Path.Combine(WorkingDirectory, "reports", $"{Config.ModelName}_{trained.AsOf:yyyy-MM-dd}_{runId}.html"),
            Config,
            runId,
            trained,
            validation,
            gate,
            version,
            drift,
            stages);

    internal static string Date(Panel panel, int index) => DateOnly.FromDateTime(panel.Timestamps[index]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The given rows' (t, symbol) cells whose features and target are all finite, as a row-major matrix.</summary>
    private static (float[] X, float[] Y, int Rows) Samples(float[][] inputs, float[] target, IReadOnlyList<int> rows, int n)
    {
        var columns = inputs.Length;
        var x = new List<float>();
        var y = new List<float>();
        foreach (var i in rows)
        {
            for (var j = 0; j < n; j++)
            {
                var cell = i * n + j;
                if (!float.IsFinite(target[cell]) || inputs.Any(f => !float.IsFinite(f[cell])))
                {
                    continue;
                }

                for (var f = 0; f < columns; f++)
                {
                    x.Add(inputs[f][cell]);
                }

                y.Add(target[cell]);
            }
        }

        return ([.. x], [.. y], y.Count);
    }

    private sealed record PrepareMeta(string SnapshotId);

    private sealed record FeaturesMeta(string Backend, string FeatureSetVersion);

    private sealed record ComponentFeaturesMeta(string Backend, string Version, string[] Names, string[] Dropped);

    private sealed record ComponentTrainMeta(double[] Loss, string Device, int Rows, ProcessorState Processors, int Rounds);

    /// <summary>Only what the weights determine: timings stay out, so recomputing an output reproduces its hash.</summary>
    private sealed record TrainMeta(double[] EpochLoss, string Device, int Rows, int[] Hidden);

    private sealed record RegisterMeta(string ModelName, int Version, string ArtifactSha256);
}
