using System.Diagnostics;
using System.Globalization;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Devices;
using QuantPipeline.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Training;

/// <summary>
/// Trains any <see cref="ModelKind"/> on a <see cref="SampleSet"/>: gradient models with Adam/AdamW,
/// schedules, clipping and early stopping; ridge in closed form. Each step runs in its own
/// dispose scope, so native memory does not grow with the number of steps.
/// </summary>
public static class Trainer
{
    public static TrainedModel Fit(SampleSet train, SampleSet? validation, TrainerOptions options, string featureSetVersion, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(featureSetVersion);
        var spec = options.Model;
        if (train.Count == 0)
        {
            throw new ArgumentException($"No training samples: {train.Report.Candidates} candidates, {train.Report.DroppedMissingLabel} without a label, {train.Report.DroppedMissingFeature} with a missing feature.");
        }

        if (train.SequenceLength != spec.SequenceLength || (validation is not null && validation.SequenceLength != spec.SequenceLength))
        {
            throw new ArgumentException($"The model reads sequences of {spec.SequenceLength} bars but the samples were built with {train.SequenceLength}{(validation is null ? string.Empty : $" (validation {validation.SequenceLength})")}.");
        }

        if (options.Threads > 0)
        {
            torch.set_num_threads(options.Threads);
        }

        var device = TorchDevice.Resolve(options.Device);
        var deviceName = TorchDevice.Describe(device);
        log?.Invoke($"training {spec.Kind} on {deviceName} (TorchSharp {TorchDevice.TorchSharpVersion}, {torch.get_num_threads()} threads), {train.Count:N0} samples, {train.FeatureCount} features");

        torch.random.manual_seed(options.Seed);
        if (device.type == DeviceType.CUDA)
        {
            torch.cuda.manual_seed_all(options.Seed);
        }

        var model = ModelFactory.Create(spec, train.FeatureCount);
        var curve = new List<EpochRecord>();
        var bestEpoch = 0;
        try
        {
            if (spec.Kind == ModelKind.Ridge)
            {
                RidgeSolver.Fit((LinearRegressor)model, train, spec.RidgeLambda);
                var metrics = validation is null ? default : Evaluate(model, validation, options.BatchSize);
                curve.Add(new EpochRecord(1, MseOf(model, train, options.BatchSize), validation is null ? null : metrics.Mse, validation is null ? null : metrics.Ic, 0, 0, 0));
            }
            else
            {
                bestEpoch = Optimise(model, train, validation, options, device, curve, log);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        var card = new ModelCard
        {
            Architecture = spec,
            Hyperparameters = options,
            FeatureSetVersion = featureSetVersion,
            FeatureNames = train.FeatureNames,
            Processors = train.Processors,
            Curve = curve,
            BestEpoch = bestEpoch,
            Device = deviceName,
            Seed = options.Seed,
            Threads = torch.get_num_threads(),
            TrainFrom = train.FirstSampleDate,
            TrainTo = train.LastSampleDate,
            ValidationFrom = validation?.FirstSampleDate,
            ValidationTo = validation?.LastSampleDate,
            TrainSamples = train.Count,
            ValidationSamples = validation?.Count ?? 0,
            TorchSharpVersion = TorchDevice.TorchSharpVersion,
        };
        return new TrainedModel(model, card);
    }

    /// <summary>Predictions for every sample of the set, in sample order, computed on CPU.</summary>
    public static float[] Predict(Module<Tensor, Tensor> model, SampleSet samples, int batchSize = 8192)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        using var scope = NewDisposeScope();
        return PredictTensor(model, samples, batchSize).data<float>().ToArray();
    }

    private static int Optimise(Module<Tensor, Tensor> model, SampleSet trainCpu, SampleSet? validationCpu, TrainerOptions options, Device device, List<EpochRecord> curve, Action<string>? log)
    {
        var onCpu = device.type == DeviceType.CPU;
        var train = onCpu ? trainCpu : trainCpu.To(device);
        var validation = onCpu || validationCpu is null ? validationCpu : validationCpu.To(device);
        model.to(device);
        Dictionary<string, Tensor>? best = null;
        try
        {
            using var optimizer = CreateOptimizer(model, options);
            var scheduler = options.Schedule switch
            {
                LearningRateSchedule.Cosine => optim.lr_scheduler.CosineAnnealingLR(optimizer, options.Epochs, 0.0),
                LearningRateSchedule.Step => optim.lr_scheduler.StepLR(optimizer, options.StepEvery, options.StepGamma),
                _ => null,
            };
            var sampler = new BatchSampler(train, options.Sampler, options.BatchSize, options.Seed);
            var bestMetric = double.PositiveInfinity;
            var bestEpoch = 0;
            var sinceBest = 0;
            var total = Stopwatch.StartNew();
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                var learningRate = optimizer.ParamGroups.First().LearningRate;
                model.train();
                var trainLoss = RunEpoch(model, train, sampler, optimizer, options);
                scheduler?.step();
                var seconds = watch.Elapsed.TotalSeconds;
                var samplesPerSecond = train.Count / Math.Max(seconds, 1e-9);
                double? validationMse = null, validationIc = null;
                if (validation is not null && validation.Count > 0)
                {
                    var metrics = Evaluate(model, validation, Math.Max(options.BatchSize, 4096));
                    validationMse = metrics.Mse;
                    validationIc = metrics.Ic;
                }

                curve.Add(new EpochRecord(epoch, trainLoss, validationMse, validationIc, learningRate, samplesPerSecond, seconds));
                var eta = TimeSpan.FromSeconds(total.Elapsed.TotalSeconds / epoch * (options.Epochs - epoch));
                log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch}/{options.Epochs}  train_loss {trainLoss:G6}  val_mse {Format(validationMse, "G6")}  val_ic {Format(validationIc, "F4")}  lr {learningRate:G3}  {samplesPerSecond / 1000:F1}k samples/s  ETA {eta:hh\\:mm\\:ss}"));

                if (validationMse is null)
                {
                    bestEpoch = epoch;
                    continue;
                }

                var metric = options.EarlyStop == EarlyStopMetric.ValidationIc
                    ? -validationIc!.Value
                    : options.Loss == LossKind.NegativeIc ? -validationIc!.Value : validationMse.Value;
                if (metric < bestMetric)
                {
                    bestMetric = metric;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    DisposeAll(best);
                    best = Snapshot(model);
                }
                else if (options.Patience > 0 && ++sinceBest >= options.Patience)
                {
                    log?.Invoke($"early stop after epoch {epoch}: no better validation metric for {options.Patience} epochs; restoring epoch {bestEpoch}");
                    break;
                }
            }

            if (best is not null)
            {
                model.load_state_dict(best);
            }

            model.to(CPU);
            return bestEpoch;
        }
        finally
        {
            DisposeAll(best);
            if (!onCpu)
            {
                train.Dispose();
                validation?.Dispose();
            }
        }
    }

    private static double RunEpoch(Module<Tensor, Tensor> model, SampleSet train, BatchSampler sampler, optim.Optimizer optimizer, TrainerOptions options)
    {
        using var epochScope = NewDisposeScope();
        // Summed on the device so the loop never waits for a scalar to come back.
        var lossSum = zeros(1, ScalarType.Float64, train.Values.device);
        var parameters = model.parameters().ToArray();
        foreach (var positions in sampler.Epoch())
        {
            using var step = NewDisposeScope();
            var (x, y, dates) = train.Gather(positions);
            optimizer.zero_grad();
            var loss = Losses.Compute(options.Loss, model.forward(x), y, dates);
            loss.backward();
            if (options.GradientClip > 0)
            {
                nn.utils.clip_grad_norm_(parameters, options.GradientClip);
            }

            optimizer.step();
            lossSum.add_(loss.detach().to_type(ScalarType.Float64) * positions.shape[0]);
        }

        return lossSum.item<double>() / train.Count;
    }

    private static (double Mse, double Ic) Evaluate(Module<Tensor, Tensor> model, SampleSet samples, int batchSize)
    {
        using var scope = NewDisposeScope();
        var predictions = PredictTensor(model, samples, batchSize, keepDevice: true).to_type(ScalarType.Float64);
        var labels = samples.Labels.index_select(0, samples.Rows).to_type(ScalarType.Float64);
        var mse = (predictions - labels).square().mean().item<double>();
        var ic = Losses.MeanDailyIc(predictions, labels, samples.RowDates).item<double>();
        return (mse, ic);
    }

    private static double MseOf(Module<Tensor, Tensor> model, SampleSet samples, int batchSize) => Evaluate(model, samples, batchSize).Mse;

    private static Tensor PredictTensor(Module<Tensor, Tensor> model, SampleSet samples, int batchSize, bool keepDevice = false)
    {
        using var noGrad = no_grad();
        var wasTraining = model.training;
        model.eval();
        var parts = new List<Tensor>();
        var device = samples.Values.device;
        for (long start = 0; start < samples.Count; start += batchSize)
        {
            var length = Math.Min(batchSize, samples.Count - start);
            var positions = arange(start, start + length, 1, ScalarType.Int64, device);
            parts.Add(model.forward(samples.Gather(positions).X));
        }

        if (wasTraining)
        {
            model.train();
        }

        var all = parts.Count == 0 ? zeros(0, ScalarType.Float32, device) : cat(parts, 0);
        return keepDevice ? all : all.cpu();
    }

    private static optim.Optimizer CreateOptimizer(Module<Tensor, Tensor> model, TrainerOptions options) => options.Optimizer switch
    {
        OptimizerKind.AdamW => optim.AdamW(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay),
        _ => optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay),
    };

    private static Dictionary<string, Tensor> Snapshot(Module<Tensor, Tensor> model)
    {
        // The scope disposes the intermediate detach() views; the clones leave it.
        using var scope = NewDisposeScope();
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in model.state_dict())
        {
            copy[name] = value.detach().clone().DetachFromDisposeScope();
        }

        return copy;
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }

        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        tensors.Clear();
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
