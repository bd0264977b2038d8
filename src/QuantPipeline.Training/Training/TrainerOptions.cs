using QuantPipeline.Training.Models;

namespace QuantPipeline.Training.Training;

public enum LossKind
{
    MeanSquaredError,

    /// <summary>−mean over dates of the Pearson correlation between predictions and labels.</summary>
    NegativeIc,
}

public enum OptimizerKind
{
    Adam,
    AdamW,
}

public enum LearningRateSchedule
{
    Constant,

    /// <summary>Cosine annealing from the learning rate to 0 over the epochs.</summary>
    Cosine,

    /// <summary>Multiply by StepGamma every StepEvery epochs.</summary>
    Step,
}

public enum SamplerKind
{
    /// <summary>Samples in a fresh random order each epoch.</summary>
    Shuffled,

    /// <summary>Whole dates per batch (dates in random order), so per-date losses see full cross-sections.</summary>
    ByDate,
}

public enum EarlyStopMetric
{
    ValidationLoss,
    ValidationIc,
}

public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}

/// <summary>Hyperparameters of a training run; all of them are written to the model card.</summary>
public sealed record TrainerOptions
{
    public ModelSpec Model { get; init; } = new();

    public LossKind Loss { get; init; } = LossKind.MeanSquaredError;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    public int StepEvery { get; init; } = 10;

    public double StepGamma { get; init; } = 0.5;

    /// <summary>Maximum global L2 norm of the gradients; 0 turns clipping off.</summary>
    public double GradientClip { get; init; }

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 1024;

    public SamplerKind Sampler { get; init; } = SamplerKind.Shuffled;

    /// <summary>Stop after this many epochs without a better validation metric and restore the best weights; 0 turns it off.</summary>
    public int Patience { get; init; }

    public EarlyStopMetric EarlyStop { get; init; } = EarlyStopMetric.ValidationLoss;

    public int Seed { get; init; } = 7;

    /// <summary>libtorch intra-op threads; 0 leaves libtorch's default. Fix it for bit-identical runs.</summary>
    public int Threads { get; init; }

    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
}
