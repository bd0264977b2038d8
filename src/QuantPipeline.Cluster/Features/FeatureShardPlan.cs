namespace QuantPipeline.Cluster.Features;

/// <summary>
/// Cuts T timestamps into shards of <c>rows</c> timestamps. Each shard reads <c>lookback</c> rows before its own and
/// <c>lookahead</c> rows after them (what the feature compiler derives: every window's full span is then inside the
/// shard) and owns the rest. A shard holds every symbol of each of its timestamps, so cross-sectional functions see
/// the whole cross-section. Exponentially weighted features (EMA, RSI…) have no finite lookback: for exact results
/// their shards read from the first row (<c>fromStart</c>), which costs more compute but changes no number.
/// </summary>
public static class FeatureShardPlan
{
    public readonly record struct Shard(int ReadStart, int OwnStart, int OwnCount, int ReadEnd)
    {
        public int Overlap => OwnStart - ReadStart;

        public int ReadCount => ReadEnd - ReadStart;
    }

    public static IReadOnlyList<Shard> Plan(int timestamps, int rows, int lookback, int lookahead = 0, bool fromStart = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamps);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lookback);
        ArgumentOutOfRangeException.ThrowIfNegative(lookahead);
        var shards = new List<Shard>();
        for (var start = 0; start < timestamps; start += rows)
        {
            var own = Math.Min(rows, timestamps - start);
            shards.Add(new Shard(fromStart ? 0 : Math.Max(0, start - lookback), start, own, Math.Min(timestamps, start + own + lookahead)));
        }

        return shards;
    }
}
