namespace QuantPipeline.Cluster.Backfill;

/// <summary>What a retrain reports back to the coordinator: the registered version (0 when the unit stops before registering), its headline metrics and the model artifact's hash.</summary>
public sealed record RetrainOutcome(DateOnly AsOf, string ModelName, int Version, double Sharpe, double MaxDrawdown, bool GatePassed, string RunId, string ArtifactSha256 = "");
