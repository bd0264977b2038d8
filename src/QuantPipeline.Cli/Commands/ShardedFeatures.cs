using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp features --shard-rows</c> / <c>--cluster</c>: the time-shard path, on the cluster or here with the same units.</summary>
internal static class ShardedFeatures
{
    public const int DefaultClusterShardRows = 250;

    public static Dictionary<string, float[]> Evaluate(
        ClusterRun? cluster,
        int? shardRows,
        List<FeatureDefinition> definitions,
        Dictionary<string, float[]> fields,
        IReadOnlyList<DateTime> times,
        IReadOnlyList<string> symbols,
        string backend,
        IProgress<ProgressUpdate>? progress = null,
        int features = 0)
    {
        var rows = shardRows ?? DefaultClusterShardRows;
        if (rows < 1)
        {
            throw new ArgumentException($"--shard-rows {rows}: a shard needs at least one bar.");
        }

        if (cluster is not null)
        {
            return cluster.UseAsync(dispatcher => FeatureShards.EvaluateAsync(dispatcher, definitions, fields, times, symbols, backend, rows, Shards(progress, features))).GetAwaiter().GetResult();
        }

        // Shards computed here go to a scratch folder: the units and their outputs are the cluster's, only the place differs.
        var scratch = Directory.CreateTempSubdirectory("qp-shards-");
        try
        {
            // The command has already said which backend it uses; the shards' executor would say it again.
            using var quiet = Core.Compute.ComputeBackends.LogTo(_ => { });
            var dispatcher = new LocalDispatcher(new SharedStore(scratch.FullName), ClusterRun.LocalExecutors());
            return FeatureShards.EvaluateAsync(dispatcher, definitions, fields, times, symbols, backend, rows, Shards(progress, features)).GetAwaiter().GetResult();
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Shard progress shown on the command's own feature count, short of the total: the features count as done once the
    /// shards are stitched, so the bar and the lines are those of a single-machine run.
    /// </summary>
    private static IProgress<ProgressUpdate>? Shards(IProgress<ProgressUpdate>? progress, int features) =>
        progress is null || features < 1
            ? null
            : new Progress(u => progress.Report(new ProgressUpdate("features", Math.Min(features - 1, u.Done * features / Math.Max(1, u.Total)), features, u.Detail)));

    private sealed class Progress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
