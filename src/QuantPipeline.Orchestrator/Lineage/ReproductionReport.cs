namespace QuantPipeline.Orchestrator.Lineage;

public sealed record MetricComparison(string Name, double Recorded, double Reproduced)
{
    public bool Identical => Recorded.Equals(Reproduced);
}

/// <summary>What retraining a version from its lineage gave, next to what was recorded.</summary>
public sealed record ReproductionReport(
    string Reference,
    string RecordedSnapshot,
    string ReproducedSnapshot,
    string RecordedTrainingRange,
    string ReproducedTrainingRange,
    string RecordedCodeVersion,
    string CurrentCodeVersion,
    string RecordedArtifactSha256,
    string ReproducedArtifactSha256,
    double MaxAbsWeightDifference,
    IReadOnlyList<MetricComparison> Metrics)
{
    public bool WeightsIdentical => RecordedArtifactSha256 == ReproducedArtifactSha256 && MaxAbsWeightDifference == 0;

    public bool MetricsIdentical => Metrics.All(m => m.Identical);

    public bool Identical => WeightsIdentical && MetricsIdentical;
}
