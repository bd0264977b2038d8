namespace QuantPipeline.Cluster.Features;

/// <summary>
/// Cuts T timestamps into shards of <c>rows</c> timestamps. Each shard reads <c>lookback</c> rows before its own
/// (the feature compiler's lookback: every window's full history is then inside the shard) and owns the rest. A shard
/// holds every symbol of each of its timestamps, so cross-sectional functions see the whole cross-section.
/// </summary>
public static class FeatureShardPlan
{
    public readonly record struct Shard(int ReadStart, int OwnStart, int OwnCount)
    {
        public int Overlap => OwnStart - ReadStart;

        public int ReadCount => Overlap + OwnCount;
    }

    public static IReadOnlyList<Shard> Plan(int timestamps, int rows, int lookback)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamps);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lookback);
        var shards = new List<Shard>();
        for (var start = 0; start < timestamps; start += rows)
        {
            shards.Add(new Shard(Math.Max(0, start - lookback), start, Math.Min(rows, timestamps - start)));
        }

        return shards;
    }
}
