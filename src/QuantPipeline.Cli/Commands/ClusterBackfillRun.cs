namespace QuantPipeline.Cli.Commands;

/// <summary>A backfill on a cluster: where to run it, and the config file and overrides the silos load, as this command did.</summary>
public sealed record ClusterBackfillRun(ClusterRun Cluster, string? ConfigPath, IReadOnlyList<string> Sets);
