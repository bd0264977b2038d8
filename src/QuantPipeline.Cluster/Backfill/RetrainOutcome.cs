namespace QuantPipeline.Cluster.Backfill;

/// <summary>What a retrain reports back to the coordinator: the registered version (0 when the unit stops before registering) and its headline metrics.</summary>
public sealed record RetrainOutcome(DateOnly AsOf, string ModelName, int Version, double Sharpe, double MaxDrawdown, bool GatePassed, string RunId);
