namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// One retrain of a backfill: the as-of date, the pipeline's working folder (on shared storage, so every silo sees the
/// same store and artifacts; the registry is shared through its PostgreSQL backend) and the config file with its
/// <c>--set</c> overrides, exactly as the single-machine command takes them.
/// </summary>
public sealed record RetrainPayload(DateOnly AsOf, string WorkingDirectory, string? ConfigPath, IReadOnlyList<string> Sets);
