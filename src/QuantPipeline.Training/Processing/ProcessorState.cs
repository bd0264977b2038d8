namespace QuantPipeline.Training.Processing;

/// <summary>
/// Everything the processors learned on the training window, stored in the model card so the
/// same transform is applied at prediction time. Median and Mad are per feature (empty unless
/// the robust z-score is used).
/// </summary>
public sealed record ProcessorState(
    ProcessorOptions Options,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<double> Median,
    IReadOnlyList<double> Mad,
    DateTime FitFrom,
    DateTime FitTo,
    ProcessingReport FitReport)
{
    /// <summary>Converts a MAD into a standard deviation under normality.</summary>
    public const double MadToSigma = 1.4826;
}
