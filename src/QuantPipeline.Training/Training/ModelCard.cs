using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Training.Training;

/// <summary>Everything needed to rebuild, audit and reuse a trained model; saved next to its weights.</summary>
public sealed record ModelCard
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required ModelSpec Architecture { get; init; }

    public required TrainerOptions Hyperparameters { get; init; }

    public required string FeatureSetVersion { get; init; }

    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Processor statistics fitted on the training window; null when samples came as a ready matrix.</summary>
    public ProcessorState? Processors { get; init; }

    public required IReadOnlyList<EpochRecord> Curve { get; init; }

    /// <summary>Epoch (1-based) whose weights were kept; 0 for closed-form models.</summary>
    public int BestEpoch { get; init; }

    /// <summary>Device the training ran on: "cpu" or "cuda:0".</summary>
    public required string Device { get; init; }

    /// <summary>Training precision. TorchSharp 0.107 has no autocast, so every device trains in float32.</summary>
    public string Precision { get; init; } = "float32";

    public int Seed { get; init; }

    public int Threads { get; init; }

    public DateTime? TrainFrom { get; init; }

    public DateTime? TrainTo { get; init; }

    public DateTime? ValidationFrom { get; init; }

    public DateTime? ValidationTo { get; init; }

    public long TrainSamples { get; init; }

    public long ValidationSamples { get; init; }

    public required string TorchSharpVersion { get; init; }

    /// <summary>SHA-256 (hex) of the weights file; set when the checkpoint is written.</summary>
    public string? WeightsSha256 { get; init; }
}
