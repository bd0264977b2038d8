using System.Globalization;
using System.Text;
using System.Text.Json;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Gate;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;
using QuantPipeline.Training;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// The staged pipeline: ingest → prepare → features → train → validate → gate → register → deploy → monitor.
/// Everything lives under one working folder: the DuckDB store, the registry (SQLite unless the config names PostgreSQL),
/// the content-addressed artifacts, signals and run records. Every run, stage, gate decision, registration and promotion
/// is appended to the registry's audit trail, and each version records its full lineage.
/// </summary>
public sealed class ProductionPipeline(PipelineConfig config, string workingDirectory, Action<StageRecord>? onStageEnd = null)
{
    private const int MonitorWindow = 21;

    public PipelineConfig Config { get; } = config;

    public string WorkingDirectory { get; } = Path.GetFullPath(workingDirectory);

    /// <summary>Generates and ingests synthetic bars when the store holds none, then runs the pipeline for the last stored session.</summary>
    public PipelineResult RunDemo(SyntheticMarketOptions market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Audited(market.To, (runner, registry, runId) =>
        {
            runner.Run("ingest", () =>
            {
                using var store = MarketStore.Open(StorePath);
                var existing = store.CountDailyBars();
                if (existing > 0)
                {
                    return (0L, $"store already holds {existing:N0} bars; nothing to ingest");
                }

                var stored = store.IngestDailyBars(SyntheticDailyMarket.Generate(market));
                return (stored, $"{stored:N0} synthetic daily bars ({market.Symbols} symbols, {market.From:yyyy-MM-dd}..{market.To:yyyy-MM-dd}, seed {market.Seed}) → {StorePath}");
            });
            return Run(market.To, runner, registry, runId);
        });
    }

    /// <summary>
    /// Generates the exchange-calendar market of <paramref name="market"/> and loads it through the store's normal
    /// ingest (listings, validated bars on the spec's calendar, corporate actions) when the store holds no bars,
    /// then runs the pipeline for the spec's last day.
    /// </summary>
    public PipelineResult RunDemo(SyntheticMarketSpec market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return Audited(market.To, (runner, registry, runId) =>
        {
            runner.Run("ingest", () =>
            {
                using var store = MarketStore.Open(StorePath);
                var existing = store.CountDailyBars();
                if (existing > 0)
                {
                    return (0L, $"store already holds {existing:N0} bars; nothing to ingest");
                }

                var result = store.Ingest(new SyntheticMarket(market));
                return (result.RowsStored, $"{result.RowsStored:N0} synthetic daily bars ({market.Symbols} symbols, {market.Calendar} sessions {market.From:yyyy-MM-dd}..{market.To:yyyy-MM-dd}, seed {market.Seed}) → {StorePath}");
            });
            return Run(market.To, runner, registry, runId);
        });
    }

    public PipelineResult Run(DateOnly asOf) => Audited(asOf, (runner, registry, runId) => Run(asOf, runner, registry, runId));

    private string StorePath => Path.Combine(WorkingDirectory, Config.MarketStorePath);

    /// <summary>
    /// Opens the registry for the run and appends to its audit trail: the run's start (with the configuration
    /// hash and code version), each stage's outcome as it ends, and the run's end, failed runs included.
    /// </summary>
    private PipelineResult Audited(DateOnly asOf, Func<StageRunner, ModelRegistry, string, PipelineResult> body)
    {
        Config.Validate();
        Directory.CreateDirectory(WorkingDirectory);
        var runId = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";
        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
        var configHash = LineageHashes.ConfigHash(Config);
        if (PreviousConfigHash(registry) is { } previous && previous != configHash)
        {
            registry.Audit.Append("config.change", new { model = Config.ModelName, previous_config_hash = previous, config_hash = configHash, config = System.Text.Json.JsonDocument.Parse(LineageHashes.CanonicalConfig(Config)).RootElement });
        }

        registry.Audit.Append("run.start", new
        {
            run_id = runId,
            model = Config.ModelName,
            as_of = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            config_hash = configHash,
            code_version = CodeVersion.Current,
            working_directory = WorkingDirectory,
        });
        var runner = new StageRunner(record =>
        {
            registry.Audit.Append($"stage.{record.Stage}", new { run_id = runId, status = record.Status, seconds = record.Seconds, detail = record.Detail, error = record.Error });
            onStageEnd?.Invoke(record);
        });
        try
        {
            var result = body(runner, registry, runId);
            registry.Audit.Append("run.end", new { run_id = runId, status = "ok", model = result.ModelName, version = result.Version, gate_passed = result.Gate.Passed, deployed = result.SignalsPath is not null });
            return result;
        }
        catch (Exception e)
        {
            registry.Audit.Append("run.end", new { run_id = runId, status = "failed", error = e.Message });
            throw;
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

            using var payload = System.Text.Json.JsonDocument.Parse(entry.PayloadJson);
            if (payload.RootElement.TryGetProperty("model", out var model) && model.GetString() == Config.ModelName)
            {
                return payload.RootElement.TryGetProperty("config_hash", out var hash) ? hash.GetString() : null;
            }
        }

        return null;
    }

    private PipelineResult Run(DateOnly requestedAsOf, StageRunner runner, ModelRegistry registry, string runId)
    {
        // Deflated Sharpe: every version registered under this model name counts as a trial, plus this one.
        var trials = registry.ListVersions(Config.ModelName).Count + 1;
        var trained = TrainAndValidate(requestedAsOf, runner, trials);
        var (panel, snapshotId, asOf, train, metrics) = (trained.Panel, trained.SnapshotId, trained.AsOf, trained.Training, trained.Metrics);
        var (trainStart, trainEnd) = (trained.TrainStart, trained.TrainEnd);
        int t = panel.T, n = panel.N;

        var gate = runner.Run("gate", () =>
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
        var registered = runner.Run("register", () =>
        {
            var store = new ContentAddressedArtifactStore(Path.Combine(WorkingDirectory, "artifacts"));
            var temp = Path.Combine(store.Root, $".{runId}.pt");
            Directory.CreateDirectory(store.Root);
            train.Model.save(temp);
            var (sha, artifact) = store.Put(temp, move: true);
            var parent = registry.GetAlias(Config.ModelName, ModelRegistry.Production)?.Version;
            var monitoringReference = MonitoringReferenceBuilder.WriteNextTo(artifact, MonitoringReferenceBuilder.Build(
                Config.ModelName, panel, SkeletonFeatureSet.Names, trainStart, trainEnd, trained.ValidationStart, trained.ValidationEnd, trained.ValidationPredictions, trained.Label, metrics.Sharpe));
            var version = registry.Register(new ModelVersionRequest(
                Config.ModelName,
                asOf,
                gate.Passed ? "approved" : "rejected",
                RegisteredMetrics(trained),
                new Dictionary<string, string>
                {
                    ["features"] = string.Join(",", SkeletonFeatureSet.Names),
                    ["hidden"] = string.Join(",", train.Hidden),
                    ["epochs"] = Config.TrainingEpochs.ToString(CultureInfo.InvariantCulture),
                    ["seed"] = Config.Seed.ToString(CultureInfo.InvariantCulture),
                    ["training_window_days"] = Config.TrainingWindowDays.ToString(CultureInfo.InvariantCulture),
                    ["validation_window_days"] = Config.ValidationWindowDays.ToString(CultureInfo.InvariantCulture),
                    ["training_range"] = $"{Date(panel, trainStart)}..{Date(panel, trainEnd)}",
                    ["data_snapshot"] = snapshotId,
                    ["compute_backend"] = trained.Backend,
                    ["run_id"] = runId,
                    [MonitoringNames.ReferenceParameter] = monitoringReference,
                },
                artifact,
                sha)
            {
                Tags = new Dictionary<string, string> { ["universe"] = Config.Universe, ["gate"] = gate.Passed ? "pass" : "fail" },
                Lineage = new ModelLineage(
                    snapshotId,
                    LineageHashes.FeatureSetVersion(),
                    LineageHashes.ConfigHash(Config),
                    CodeVersion.Current,
                    Config.Seed,
                    DateOnly.ParseExact(Date(panel, trainStart), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateOnly.ParseExact(Date(panel, trainEnd), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    parent)
                {
                    ConfigJson = LineageHashes.CanonicalConfig(Config),
                },
            });
            return (version, $"{version.ModelName} version {version.Version} ({version.Status}), artifact {Path.GetFileName(artifact)}");
        });
        train.Model.Dispose();

        string? signalsPath = null;
        if (gate.Passed)
        {
            signalsPath = runner.Run("deploy", () =>
            {
                var promotion = registry.Promote(registered.ModelName, registered.Version, ModelRegistry.Production);
                var inference = BatchInference.Run(registry, WorkingDirectory, registered.ModelName, asOf);
                var previous = promotion.PreviousVersion is int p ? $"v{p}" : "none";
                return (inference.CsvPath, $"production {previous} → v{registered.Version}; signals for {asOf:yyyy-MM-dd} from {inference.ModelName} v{inference.Version} ({inference.Rows.Count} symbols) → {inference.CsvPath} (+ .parquet, .arrow, signals table)");
            });
        }
        else
        {
            runner.Skip("deploy", "the gate rejected the model; the previous deployment stays");
        }

        var drift = runner.Run("monitor", () =>
        {
            var list = new List<FeatureDrift>();
            foreach (var name in SkeletonFeatureSet.Names)
            {
                var values = panel.Field(name);
                var reference = values.AsSpan(trainStart * n, (trainEnd - trainStart + 1) * n);
                var current = values.AsSpan((t - MonitorWindow) * n, MonitorWindow * n);
                var psi = PopulationStability.Psi(reference, current);
                list.Add(new FeatureDrift(name, psi, PopulationStability.Level(psi)));
            }

            foreach (var alert in list.Where(d => d.Level == "alert"))
            {
                registry.Audit.Append("monitor.alert", new { run_id = runId, model = Config.ModelName, kind = "feature_drift", feature = alert.Feature, psi = alert.Psi, threshold = 0.2 });
            }

            return (list, "PSI vs training: " + string.Join(", ", list.Select(d => $"{d.Feature} {d.Psi:0.000} {d.Level}")));
        });

        var recordPath = WriteRunRecord(runId, asOf, runner.Records, registered, gate);
        return new PipelineResult(runId, asOf, metrics, gate, registered.ModelName, registered.Version, registered.ArtifactPath, registered.ArtifactSha256, signalsPath, drift, runner.Records, recordPath) { Report = trained.Report };
    }

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

        // The registry stores JSON numbers: unbounded ratios (no losing period) and unmeasured figures are left out.
        return metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);
    }

    /// <summary>prepare → features → train → validate: everything a version's weights and metrics depend on.</summary>
    /// <param name="trials">Trials behind this model for the deflated Sharpe: its version number (earlier versions + 1).</param>
    internal TrainedModel TrainAndValidate(DateOnly requestedAsOf, StageRunner runner, int trials)
    {
        var backend = ModelInputs.Backend(Config);

        // prepare: point in time — only bars dated at or before the as-of are loaded.
        var (panel, snapshotId) = runner.Run("prepare", () =>
        {
            using var store = MarketStore.Open(StorePath, readOnly: true);
            var (loaded, id) = ModelInputs.Load(store, Config, requestedAsOf);
            return ((loaded, id), $"{loaded.T} sessions × {loaded.N} symbols up to {DateOnly.FromDateTime(loaded.Timestamps[^1]):yyyy-MM-dd}, snapshot {id}");
        });
        var asOf = DateOnly.FromDateTime(panel.Timestamps[^1]);
        int t = panel.T, n = panel.N;

        var (modelInputs, label) = runner.Run("features", () =>
        {
            var inputs = ModelInputs.Compute(panel, backend, (float)Config.FeatureZScoreClip);
            var forward = new float[t * n];
            PanelOps.ForwardReturn(panel.Field("close"), forward, t, n, 1);
            return ((inputs, forward), $"{SkeletonFeatureSet.Names.Length} features ({string.Join(", ", SkeletonFeatureSet.Names)}, version {LineageHashes.FeatureSetVersion()}) on the {backend.Name} backend; label = next-session return");
        });

        // Windows: the label at t ends at t+1, so the last labelled index is t-2 (as-of is t-1 = T-1).
        var validationEnd = t - 2;
        var validationStart = validationEnd - Config.ValidationWindowDays + 1;
        var trainEnd = validationStart - 2; // purge: training labels end before validation starts
        var trainStart = trainEnd - Config.TrainingWindowDays + 1;

        var train = runner.Run("train", () =>
        {
            var zLabel = new float[t * n];
            PanelOps.CrossSectionalZScore(label, zLabel, panel.Membership, t, n, clip: (float)Config.LabelZScoreClip);
            var (x, y, rows) = Samples(modelInputs, zLabel, trainStart, trainEnd, n);
            var options = Config.Training();
            var (model, curve) = MlpTrainer.Train(x, y, rows, modelInputs.Length, options);
            return (new TrainingOutcome(model, curve, rows, options.Hidden), $"MLP {modelInputs.Length}→{string.Join("→", options.Hidden)}→1 on {curve.Device}, {rows:N0} samples, loss {curve.EpochLoss[0]:0.0000} → {curve.EpochLoss[^1]:0.0000}, {curve.SamplesPerSecond:N0} samples/s");
        });

        var (report, validationPredictions) = runner.Run("validate", () =>
        {
            var predictions = ModelInputs.Predict(train.Model, modelInputs, validationStart, validationEnd, n);
            var length = validationEnd - validationStart + 1;
            var realised = label.AsSpan(validationStart * n, length * n);
            var result = LongShortBacktest.Run(
                predictions,
                realised,
                length,
                n,
                Config.BacktestQuantile,
                Config.BacktestCostBps);
            var grossExposure = new double[length];
            for (var i = 0; i < length; i++)
            {
                grossExposure[i] = result.LongCount[i] > 0 ? 1.0 : 0.0;
            }

            var r = MetricReport.Compute(
                result.NetReturns,
                new MetricOptions
                {
                    PeriodsPerYear = PerformanceMetrics.DailyPeriodsPerYear,
                    Trials = trials,
                    Dates = [.. Enumerable.Range(validationStart, length).Select(i => DateOnly.FromDateTime(panel.Timestamps[i]))],
                },
                result.Turnover,
                grossExposure,
                InformationCoefficient.Summarise(InformationCoefficient.PerBar(predictions, realised, length, n)),
                InformationCoefficient.Summarise(InformationCoefficient.RankPerBar(predictions, realised, length, n)));
            return ((r, predictions), $"long-short {Config.BacktestQuantile:P0} quantiles over {length} sessions ({Date(panel, validationStart)}..{Date(panel, validationEnd)}), net of {Config.BacktestCostBps} bp: Sharpe {r.Sharpe:0.00}, max drawdown {r.MaxDrawdown.Depth:P2}, annual return {r.AnnualReturn:P2} (annualised ×252), Rank IC {r.RankIc!.Mean:0.0000}, DSR {r.DeflatedSharpe:0.000} over {trials} trial(s)");
        });
        var metrics = report.ToPerformanceMetrics();

        return new TrainedModel(panel, snapshotId, asOf, backend.Name, trainStart, trainEnd, train, metrics, report)
        {
            ValidationStart = validationStart,
            ValidationEnd = validationEnd,
            ValidationPredictions = validationPredictions,
            Label = label,
        };
    }

    private static string Date(Panel panel, int index) => DateOnly.FromDateTime(panel.Timestamps[index]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Rows (t, symbol) in [from, to] whose features and target are all finite, as a row-major matrix.</summary>
    private static (float[] X, float[] Y, int Rows) Samples(float[][] inputs, float[] target, int from, int to, int n)
    {
        var columns = inputs.Length;
        var x = new List<float>();
        var y = new List<float>();
        for (var i = from; i <= to; i++)
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

    private string WriteRunRecord(string runId, DateOnly asOf, IReadOnlyList<StageRecord> stages, ModelVersion version, GateDecision gate)
    {
        var dir = Path.Combine(WorkingDirectory, "runs");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{runId}.json");
        var json = JsonSerializer.Serialize(new
        {
            run_id = runId,
            as_of = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            config = Config,
            model = version.ModelName,
            version = version.Version,
            gate = new { passed = gate.Passed, rules = gate.Rules },
            stages,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        AtomicFile.WriteAllText(path, json);
        return path;
    }
}
