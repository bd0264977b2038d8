namespace QuantPipeline.Cluster.Features;

/// <summary>
/// One time shard: the input panel file (its first <see cref="Overlap"/> rows are the lookback the shard reads but
/// does not own), the feature definitions (name, expression) and the compute backend.
/// </summary>
public sealed record FeatureShardPayload(string Input, int Overlap, IReadOnlyList<string[]> Definitions, string Backend);
