namespace QuantPipeline.Training.Processing;

/// <summary>
/// Counts from turning a date range into samples. Candidates are universe members on the sample
/// dates; every candidate is either kept or counted under exactly one drop reason.
/// </summary>
public sealed record ProcessingReport(
    long Candidates,
    long Kept,
    long DroppedMissingLabel,
    long DroppedMissingFeature,
    long NonFiniteFeatureValues,
    long FilledFeatureValues);
