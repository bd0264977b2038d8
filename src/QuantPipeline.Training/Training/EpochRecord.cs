namespace QuantPipeline.Training.Training;

/// <summary>One epoch of the training curve. Validation values are null without a validation set.</summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double? ValidationMse,
    double? ValidationIc,
    double LearningRate,
    double SamplesPerSecond,
    double Seconds);
