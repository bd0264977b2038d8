namespace QuantPipeline.Storage.Registry;

/// <summary>
/// Everything needed to retrain a version and get the same weights: which data, which features, which
/// configuration (its canonical JSON and hash), which code, which seed, which training sessions, and the
/// version it replaced.
/// </summary>
public sealed record ModelLineage(
    string DataSnapshotId,
    string FeatureSetVersion,
    string ConfigHash,
    string CodeVersion,
    int Seed,
    DateOnly TrainingFrom,
    DateOnly TrainingTo,
    int? ParentVersion = null)
{
    /// <summary>The configuration the version was trained with, as canonical JSON (its SHA-256 is <see cref="ConfigHash"/>).</summary>
    public string? ConfigJson { get; init; }
}
