using System.Text;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Models.LightGbm;
using QuantPipeline.Training.Processing;
using QuantPipeline.Training.Training;
using static TorchSharp.torch;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>What training a component model produced besides the model: per-epoch (or per-round) loss, samples and device.</summary>
public sealed record ComponentFit(IReadOnlyList<double> Loss, int Rows, string Device);

/// <summary>
/// A model of any registered kind on any feature set and transform: the training library's <see cref="SampleSet"/>
/// processes the raw features (transform fitted on the training rows only, missing values filled with the
/// cross-sectional centre) and builds sequences; <see cref="Trainer"/> fits the TorchSharp kinds and the native
/// LightGBM library the trees. The processors' state travels with the model, so scoring applies the same transform.
/// </summary>
public sealed class ComponentModel : PipelineModel
{
    private readonly nn.Module<Tensor, Tensor>? _torch;
    private readonly LightGbmBooster? _booster;

    private ComponentModel(string kind, ModelSpec? spec, nn.Module<Tensor, Tensor>? torch, LightGbmBooster? booster, ProcessorState processors, int sequenceLength)
    {
        Kind = kind;
        Spec = spec;
        _torch = torch;
        _booster = booster;
        Processors = processors;
        SequenceLength = sequenceLength;
    }

    public override string Kind { get; }

    /// <summary>The TorchSharp architecture (null for LightGBM).</summary>
    public ModelSpec? Spec { get; }

    public ProcessorState Processors { get; }

    public int SequenceLength { get; }

    /// <summary>LightGBM rounds kept (0 for the TorchSharp kinds).</summary>
    public int Rounds => _booster?.Rounds ?? 0;

    /// <summary>The training library's architecture for the configured model.kind and hyperparameters.</summary>
    public static ModelSpec SpecOf(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var kind = ComponentRegistry.Models.Get(config.ModelKind).Value.Torch
            ?? throw new ArgumentException($"model.kind {config.ModelKind} is not a TorchSharp model.");
        return new ModelSpec
        {
            Kind = kind,
            Hidden = [.. config.HiddenLayers],
            HiddenSize = config.ModelHiddenSize,
            Layers = config.ModelNumLayers,
            Heads = config.ModelHeads,
            FeedForward = 2 * config.ModelHiddenSize,
            Dropout = config.ModelDropout,
            SequenceLength = config.ModelSequenceLength,
            RidgeLambda = config.ModelRidgeAlpha,
        };
    }

    public static ProcessorOptions ProcessorOptionsOf(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var normalisation = ComponentRegistry.Transforms.Get(config.FeatureTransform).Value;
        return new ProcessorOptions
        {
            Features = normalisation,
            Labels = LabelNormalisation.None,
            Clip = normalisation == FeatureNormalisation.None ? 0 : config.FeatureZScoreClip,
            Missing = MissingFeaturePolicy.Fill,
        };
    }

    /// <summary>
    /// Fits the configured model on <paramref name="trainRows"/> (panel rows whose labels end before any row scored
    /// out of sample): the label is the raw label z-scored across symbols and clipped, as for the default MLP.
    /// </summary>
    public static (ComponentModel Model, ComponentFit Fit) Train(PipelineConfig config, IReadOnlyList<string> names, float[][] inputs, float[] label, Panel panel, IReadOnlyCollection<int> trainRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(trainRows);
        int t = panel.T, n = panel.N;
        var target = new float[t * n];
        PanelOps.CrossSectionalZScore(label, target, panel.Membership, t, n, clip: (float)config.LabelZScoreClip);
        // Rows outside the training set lose their label, so the sample builder leaves them out (purged CV folds have gaps).
        var inTrain = new bool[t];
        foreach (var row in trainRows)
        {
            inTrain[row] = true;
        }

        for (var i = 0; i < t; i++)
        {
            if (!inTrain[i])
            {
                target.AsSpan(i * n, n).Fill(float.NaN);
            }
        }

        var from = trainRows.Min();
        var to = trainRows.Max() + 1;
        var panels = new TrainingPanels(panel.Timestamps, panel.Symbols, names, inputs, target, panel.Membership);
        var choice = ComponentRegistry.Models.Get(config.ModelKind).Value;
        var sequence = config.ModelSequenceLength;
        cancellationToken.ThrowIfCancellationRequested();
        if (choice.IsLightGbm)
        {
            return TrainLightGbm(config, panels, from, to);
        }

        var spec = SpecOf(config);
        var (state, samples) = SampleSet.FitAndBuild(panels, from, to, ProcessorOptionsOf(config), sequence);
        using (samples)
        {
            var options = new TrainerOptions
            {
                Model = spec,
                Epochs = config.TrainingEpochs,
                BatchSize = config.TrainingBatchSize,
                LearningRate = config.TrainingLearningRate,
                WeightDecay = config.TrainingWeightDecay,
                Seed = config.Seed,
                Device = config.TrainingDevice switch { "cuda" => DeviceChoice.Cuda, "auto" => DeviceChoice.Auto, _ => DeviceChoice.Cpu },
            };
            var trained = Trainer.Fit(samples, null, options, "pipeline");
            var loss = trained.Card.Curve.Select(e => e.TrainLoss).ToArray();
            return (new ComponentModel(config.ModelKind, spec, trained.Model, null, state, sequence), new ComponentFit(loss, (int)samples.Count, trained.Card.Device));
        }
    }

    private static (ComponentModel, ComponentFit) TrainLightGbm(PipelineConfig config, TrainingPanels panels, int from, int to)
    {
        // Early stopping watches the last tenth of the training sessions; the sessions before them whose labels reach
        // into that tail are purged from the fit.
        var purge = PipelineLabels.EndOffset(config);
        var tail = config.ModelEarlyStoppingRounds > 0 ? Math.Max(1, (to - from) / 10) : 0;
        var fitTo = tail > 0 ? to - tail - purge : to;
        if (fitTo - from < 2)
        {
            throw new InvalidOperationException($"The training window ({to - from} sessions) is too short for LightGBM's early-stopping tail; lengthen training_window_days or set model.early_stopping_rounds 0.");
        }

        var (state, fit) = SampleSet.FitAndBuild(panels, from, fitTo, ProcessorOptionsOf(config));
        using (fit)
        {
            var (x, y, rows) = Matrix(fit);
            float[]? vx = null, vy = null;
            var validRows = 0;
            if (tail > 0)
            {
                using var valid = SampleSet.Build(panels, to - tail, to, state);
                (vx, vy, validRows) = Matrix(valid);
            }

            var booster = LightGbmBooster.Train(x, y, rows, fit.FeatureCount, vx, vy, validRows, new LightGbmOptions
            {
                NumLeaves = config.ModelNumLeaves,
                LearningRate = config.ModelBoostingLearningRate,
                Rounds = config.ModelNumRounds,
                EarlyStoppingRounds = config.ModelEarlyStoppingRounds,
                Seed = config.Seed,
            });
            var loss = booster.ValidationLoss.Count > 0 ? booster.ValidationLoss : [double.NaN];
            return (new ComponentModel("lightgbm", null, null, booster, state, 1), new ComponentFit(loss, rows, "cpu (lib_lightgbm)"));
        }
    }

    /// <summary>The samples' processed features as a row-major matrix and their labels.</summary>
    private static (float[] X, float[] Y, int Rows) Matrix(SampleSet samples)
    {
        using var scope = NewDisposeScope();
        var rows = (int)samples.Count;
        if (rows == 0)
        {
            return ([], [], 0);
        }

        var (x, y, _) = samples.Gather(arange(rows, ScalarType.Int64));
        return (x.contiguous().data<float>().ToArray(), y.contiguous().data<float>().ToArray(), rows);
    }

    public override float[] Predict(float[][] inputs, Panel panel, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(panel);
        var n = panel.N;
        var output = new float[(to - from + 1) * n];
        Array.Fill(output, float.NaN);
        // Every universe member of the rows is a sample: a finite placeholder label keeps them all.
        var placeholder = new float[panel.T * n];
        var panels = new TrainingPanels(panel.Timestamps, panel.Symbols, Processors.FeatureNames, inputs, placeholder, panel.Membership);
        using var samples = SampleSet.Build(panels, from, to + 1, Processors, SequenceLength);
        if (samples.Count == 0)
        {
            return output;
        }

        float[] scores;
        if (_booster is not null)
        {
            var (x, _, rows) = Matrix(samples);
            scores = _booster.Predict(x, rows, samples.FeatureCount);
        }
        else
        {
            scores = Trainer.Predict(_torch!, samples);
        }

        var windowFrom = Math.Max(0, from - (SequenceLength - 1));
        var positions = samples.SamplePositions();
        for (var s = 0; s < positions.Length; s++)
        {
            var (date, symbol) = positions[s];
            output[(windowFrom + date - from) * n + symbol] = scores[s];
        }

        return output;
    }

    public override void Save(string path)
    {
        if (_booster is not null)
        {
            File.WriteAllText(path, _booster.Save(), new UTF8Encoding(false));
        }
        else
        {
            _torch!.save(path);
        }
    }

    /// <summary>Rebuilds a model from its artifact bytes, its configuration and the processors recorded with it.</summary>
    public static ComponentModel Load(PipelineConfig config, ProcessorState processors, byte[] artifact)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(processors);
        ArgumentNullException.ThrowIfNull(artifact);
        var choice = ComponentRegistry.Models.Get(config.ModelKind).Value;
        if (choice.IsLightGbm)
        {
            return new ComponentModel("lightgbm", null, null, LightGbmBooster.Load(Encoding.UTF8.GetString(artifact)), processors, 1);
        }

        var spec = SpecOf(config);
        var model = ModelFactory.Create(spec, processors.FeatureNames.Count);
        using var stream = new MemoryStream(artifact, writable: false);
        model.load(stream);
        model.eval();
        return new ComponentModel(config.ModelKind, spec, model, null, processors, spec.SequenceLength);
    }

    public override double MaxAbsDifference(PipelineModel other)
    {
        if (other is not ComponentModel model || model.Kind != Kind)
        {
            return double.PositiveInfinity;
        }

        if (_booster is not null)
        {
            return string.Equals(_booster.Save(), model._booster!.Save(), StringComparison.Ordinal) ? 0 : double.PositiveInfinity;
        }

        return MaxAbsDifference(_torch!, model._torch!);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _torch?.Dispose();
            _booster?.Dispose();
        }
    }
}
