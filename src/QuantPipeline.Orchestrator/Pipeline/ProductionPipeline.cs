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
/// Everything lives under one working folder: the DuckDB store, the SQLite registry, artifacts, signals and run records.
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
        var runner = new StageRunner(onStageEnd);
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
        return Run(market.To, runner);
    }

    public PipelineResult Run(DateOnly asOf) => Run(asOf, new StageRunner(onStageEnd));

    private string StorePath => Path.Combine(WorkingDirectory, Config.MarketStorePath);

    private PipelineResult Run(DateOnly requestedAsOf, StageRunner runner)
    {
        Config.Validate();
        Directory.CreateDirectory(WorkingDirectory);
        var runId = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";
        IComputeBackend backend = Config.ComputeBackend == "managed" ? ManagedBackend.Instance : NativeBackend.Instance;

        // prepare: point in time — only bars dated at or before the as-of are loaded.
        var (panel, snapshotId) = runner.Run("prepare", () =>
        {
            using var store = MarketStore.Open(StorePath, readOnly: true);
            var sessionsNeeded = SkeletonFeatureSet.Lookback + Config.TrainingWindowDays + Config.ValidationWindowDays + 2;
            var from = requestedAsOf.AddDays(-(int)Math.Ceiling(sessionsNeeded * 7.0 / 5.0) - 14);
            var loaded = store.LoadDailyPanel(from, requestedAsOf, ["open", "high", "low", "close", "volume"]);
            if (loaded.T < sessionsNeeded)
            {
                throw new InvalidOperationException(
                    $"Only {loaded.T} sessions are stored up to {requestedAsOf:yyyy-MM-dd}; lookback {SkeletonFeatureSet.Lookback} + training {Config.TrainingWindowDays} + validation {Config.ValidationWindowDays} + 2 label sessions need {sessionsNeeded}. Ingest more history or shorten the windows.");
            }

            var id = store.SnapshotId(DateOnly.FromDateTime(loaded.Timestamps[0]), requestedAsOf);
            return ((loaded, id), $"{loaded.T} sessions × {loaded.N} symbols up to {DateOnly.FromDateTime(loaded.Timestamps[^1]):yyyy-MM-dd}, snapshot {id}");
        });
        var asOf = DateOnly.FromDateTime(panel.Timestamps[^1]);
        int t = panel.T, n = panel.N;

        // features and labels
        var (modelInputs, label) = runner.Run("features", () =>
        {
            SkeletonFeatureSet.Compute(panel, backend);
            var inputs = new float[SkeletonFeatureSet.Names.Length][];
            for (var f = 0; f < inputs.Length; f++)
            {
                inputs[f] = new float[t * n];
                PanelOps.CrossSectionalZScore(panel.Field(SkeletonFeatureSet.Names[f]), inputs[f], panel.Membership, t, n, clip: 5f);
            }

            var forward = new float[t * n];
            PanelOps.ForwardReturn(panel.Field("close"), forward, t, n, 1);
            return ((inputs, forward), $"{SkeletonFeatureSet.Names.Length} features ({string.Join(", ", SkeletonFeatureSet.Names)}) on the {backend.Name} backend; label = next-session return");
        });

        // Windows: the label at t ends at t+1, so the last labelled index is t-2 (as-of is t-1 = T-1).
        var validationEnd = t - 2;
        var validationStart = validationEnd - Config.ValidationWindowDays + 1;
        var trainEnd = validationStart - 2; // purge: training labels end before validation starts
        var trainStart = trainEnd - Config.TrainingWindowDays + 1;

        var train = runner.Run("train", () =>
        {
            var zLabel = new float[t * n];
            PanelOps.CrossSectionalZScore(label, zLabel, panel.Membership, t, n, clip: 3f);
            var (x, y, rows) = Samples(modelInputs, zLabel, trainStart, trainEnd, n);
            var options = new MlpTrainingOptions { Seed = Config.Seed, Epochs = Config.TrainingEpochs };
            var (model, curve) = MlpTrainer.Train(x, y, rows, modelInputs.Length, options);
            return ((model, curve, rows), $"MLP {modelInputs.Length}→{string.Join("→", options.Hidden)}→1 on {curve.Device}, {rows:N0} samples, loss {curve.EpochLoss[0]:0.0000} → {curve.EpochLoss[^1]:0.0000}, {curve.SamplesPerSecond:N0} samples/s");
        });

        var (metrics, scores) = runner.Run("validate", () =>
        {
            var predictions = PredictRange(train.model, modelInputs, validationStart, validationEnd, n);
            var length = validationEnd - validationStart + 1;
            var result = LongShortBacktest.Run(
                predictions,
                label.AsSpan(validationStart * n, length * n),
                length,
                n,
                Config.BacktestQuantile,
                Config.BacktestCostBps);
            var m = PerformanceMetrics.Compute(result.NetReturns, result.Turnover);
            return ((m, predictions), $"long-short {Config.BacktestQuantile:P0} quantiles over {length} sessions ({Date(panel, validationStart)}..{Date(panel, validationEnd)}), net of {Config.BacktestCostBps} bp: Sharpe {m.Sharpe:0.00}, max drawdown {m.MaxDrawdown:P2}, annual return {m.AnnualReturn:P2} (annualised ×252)");
        });

        var gate = runner.Run("gate", () =>
        {
            var decision = QualityGate.Evaluate(metrics, Config);
            return (decision, decision.Describe());
        });

        var registered = runner.Run("register", () =>
        {
            var artifactDir = Path.Combine(WorkingDirectory, "artifacts", Config.ModelName);
            Directory.CreateDirectory(artifactDir);
            var temp = Path.Combine(artifactDir, $".{runId}.pt.tmp");
            train.model.save(temp);
            var sha = ContentHash.Sha256OfFile(temp);
            var artifact = Path.Combine(artifactDir, $"{sha}.pt");
            File.Move(temp, artifact, overwrite: true);
            var monitoringReference = MonitoringReferenceBuilder.WriteNextTo(artifact, MonitoringReferenceBuilder.Build(
                Config.ModelName, panel, SkeletonFeatureSet.Names, trainStart, trainEnd, validationStart, validationEnd, scores, label, metrics.Sharpe));
            using var registry = SqliteModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
            var version = registry.Register(new ModelVersionRequest(
                Config.ModelName,
                asOf,
                gate.Passed ? "approved" : "rejected",
                new Dictionary<string, double>
                {
                    ["sharpe"] = metrics.Sharpe,
                    ["max_drawdown"] = metrics.MaxDrawdown,
                    ["annual_return"] = metrics.AnnualReturn,
                    ["annual_volatility"] = metrics.AnnualVolatility,
                    ["turnover"] = metrics.MeanTurnover,
                    ["train_loss"] = train.curve.EpochLoss[^1],
                },
                new Dictionary<string, string>
                {
                    ["features"] = string.Join(",", SkeletonFeatureSet.Names),
                    ["hidden"] = "64,32",
                    ["epochs"] = Config.TrainingEpochs.ToString(CultureInfo.InvariantCulture),
                    ["seed"] = Config.Seed.ToString(CultureInfo.InvariantCulture),
                    ["training_window_days"] = Config.TrainingWindowDays.ToString(CultureInfo.InvariantCulture),
                    ["validation_window_days"] = Config.ValidationWindowDays.ToString(CultureInfo.InvariantCulture),
                    ["training_range"] = $"{Date(panel, trainStart)}..{Date(panel, trainEnd)}",
                    ["data_snapshot"] = snapshotId,
                    ["compute_backend"] = backend.Name,
                    ["run_id"] = runId,
                    [MonitoringNames.ReferenceParameter] = monitoringReference,
                },
                artifact,
                sha));
            return (version, $"{version.ModelName} version {version.Version} ({version.Status}), artifact {Path.GetFileName(artifact)}");
        });

        string? signalsPath = null;
        if (gate.Passed)
        {
            signalsPath = runner.Run("deploy", () =>
            {
                var predictions = PredictRange(train.model, modelInputs, t - 1, t - 1, n);
                var path = WriteSignals(panel, predictions, asOf, registered);
                return (path, $"signals for {asOf:yyyy-MM-dd} from {registered.ModelName} v{registered.Version} → {path}");
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

            return (list, "PSI vs training: " + string.Join(", ", list.Select(d => $"{d.Feature} {d.Psi:0.000} {d.Level}")));
        });

        var recordPath = WriteRunRecord(runId, asOf, runner.Records, registered, gate);
        train.model.Dispose();
        return new PipelineResult(runId, asOf, metrics, gate, registered.ModelName, registered.Version, registered.ArtifactPath, registered.ArtifactSha256, signalsPath, drift, runner.Records, recordPath);
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

    /// <summary>Predictions for every cell in rows [from, to]; NaN where any input is missing.</summary>
    internal static float[] PredictRange(MlpRegressor model, float[][] inputs, int from, int to, int n)
    {
        var columns = inputs.Length;
        var cells = (to - from + 1) * n;
        var output = new float[cells];
        Array.Fill(output, float.NaN);
        var valid = new List<int>(cells);
        for (var c = 0; c < cells; c++)
        {
            var cell = from * n + c;
            if (inputs.All(f => float.IsFinite(f[cell])))
            {
                valid.Add(c);
            }
        }

        var x = new float[valid.Count * columns];
        for (var r = 0; r < valid.Count; r++)
        {
            for (var f = 0; f < columns; f++)
            {
                x[r * columns + f] = inputs[f][from * n + valid[r]];
            }
        }

        var predictions = MlpTrainer.Predict(model, x, valid.Count, columns);
        for (var r = 0; r < valid.Count; r++)
        {
            output[valid[r]] = predictions[r];
        }

        return output;
    }

    private string WriteSignals(Panel panel, float[] scores, DateOnly asOf, ModelVersion version)
    {
        var dir = Path.Combine(WorkingDirectory, "signals");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{version.ModelName}_{asOf:yyyy-MM-dd}.csv");
        var ranked = Enumerable.Range(0, panel.N).Where(j => float.IsFinite(scores[j])).OrderByDescending(j => scores[j]).ThenBy(j => j).ToList();
        var builder = new StringBuilder();
        builder.AppendLine("as_of,symbol,score,rank,model_name,model_version");
        for (var r = 0; r < ranked.Count; r++)
        {
            var j = ranked[r];
            builder.Append(CultureInfo.InvariantCulture, $"{asOf:yyyy-MM-dd},{panel.Symbols[j]},{scores[j]:R},{r + 1},{version.ModelName},{version.Version}\n");
        }

        AtomicFile.WriteAllText(path, builder.ToString());
        return path;
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
        }, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.WriteAllText(path, json);
        return path;
    }
}
