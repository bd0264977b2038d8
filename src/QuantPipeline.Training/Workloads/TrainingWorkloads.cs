using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;
using QuantPipeline.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Workloads;

/// <summary>
/// The reference training workloads (BENCHMARKS.md W3 and the 60-step GRU), shared by the
/// benchmarks and <c>qp train-check</c> so both measure exactly the same thing.
/// </summary>
public static class TrainingWorkloads
{
    public const int W3Features = 158;
    public const int GruSequenceLength = 60;

    /// <summary>A row-major [samples, 158] matrix and labels with a linear signal in the first features.</summary>
    public static (float[] Features, float[] Labels) W3Data(int samples, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var x = randn([samples, W3Features], generator: generator);
        var y = x.narrow(1, 0, 8).sum(1) * 0.1 + randn([samples], generator: generator);
        var features = GC.AllocateUninitializedArray<float>(samples * W3Features);
        var labels = GC.AllocateUninitializedArray<float>(samples);
        x.data<float>().CopyTo(features);
        y.data<float>().CopyTo(labels);
        return (features, labels);
    }

    /// <summary>W3 <c>mlp-158</c>: MLP 158→256→128→1 (ReLU), Adam lr 1e-3, MSE, batch 4,096, one epoch.</summary>
    public static TrainerOptions W3Options(DeviceChoice device, int threads) => new()
    {
        Model = new ModelSpec { Kind = ModelKind.Mlp, Hidden = [256, 128] },
        Optimizer = OptimizerKind.Adam,
        LearningRate = 1e-3,
        Loss = LossKind.MeanSquaredError,
        BatchSize = 4096,
        Epochs = 1,
        Seed = 1,
        Threads = threads,
        Device = device,
    };

    /// <summary>Data feeding included: the matrix goes to a tensor in one bulk copy, then one epoch is trained.</summary>
    public static TrainedModel RunW3(float[] features, float[] labels, TrainerOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        using var samples = SampleSet.FromMatrix(features, labels, labels.Length, W3Features);
        return Trainer.Fit(samples, null, options, "w3-synthetic", log);
    }

    /// <summary>Time-major panels for the GRU workload: features normal noise, label the mean of feature 0 over 20 bars.</summary>
    public static TrainingPanels GruPanels(int dates, int symbols, int features, int seed = 42)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var x = randn([features, dates, symbols], generator: generator);
        var label = x[0].cumsum(0);
        label = (label - label.roll(20, 0)) / Math.Sqrt(20);
        label.narrow(0, 0, 20).fill_(double.NaN);
        var panels = new float[features][];
        for (var f = 0; f < features; f++)
        {
            panels[f] = GC.AllocateUninitializedArray<float>(dates * symbols);
            x[f].data<float>().CopyTo(panels[f]);
        }

        var labels = GC.AllocateUninitializedArray<float>(dates * symbols);
        label.contiguous().data<float>().CopyTo(labels);
        var dateList = Enumerable.Range(0, dates).Select(d => new DateTime(2015, 1, 1).AddDays(d)).ToArray();
        var symbolList = Enumerable.Range(0, symbols).Select(s => $"S{s:D4}").ToArray();
        var names = Enumerable.Range(0, features).Select(f => $"x{f}").ToArray();
        return new TrainingPanels(dateList, symbolList, names, panels, labels, Enumerable.Repeat(true, dates * symbols).ToArray());
    }

    /// <summary>GRU(hidden 64) over 60-step sequences, Adam 1e-3, MSE, batch 1,024, one epoch.</summary>
    public static TrainerOptions GruOptions(DeviceChoice device, int threads) => new()
    {
        Model = new ModelSpec { Kind = ModelKind.Gru, HiddenSize = 64, SequenceLength = GruSequenceLength },
        LearningRate = 1e-3,
        BatchSize = 1024,
        Epochs = 1,
        Seed = 1,
        Threads = threads,
        Device = device,
    };

    /// <summary>Processors fitted and sequences built from the panels, then one epoch trained.</summary>
    public static TrainedModel RunGru(TrainingPanels panels, TrainerOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        var (_, samples) = SampleSet.FitAndBuild(panels, 0, panels.T, new ProcessorOptions(), GruSequenceLength);
        using (samples)
        {
            return Trainer.Fit(samples, null, options, "gru-synthetic", log);
        }
    }
}
