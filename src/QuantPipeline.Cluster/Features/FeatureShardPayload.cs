namespace QuantPipeline.Cluster.Features;

/// <summary>
/// One time shard: the input panel file, whose rows [<see cref="Overlap"/>, <see cref="Overlap"/> + <see cref="OwnCount"/>)
/// the shard owns (the rows around them are the lookback and lookahead it reads), the feature definitions
/// (name, expression) and the compute backend.
/// </summary>
public sealed record FeatureShardPayload(string Input, int Overlap, int OwnCount, IReadOnlyList<string[]> Definitions, string Backend);
