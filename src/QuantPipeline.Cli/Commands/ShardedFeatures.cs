using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Features.Expressions;

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
        string backend)
    {
        var rows = shardRows ?? DefaultClusterShardRows;
        if (rows < 1)
        {
            throw new ArgumentException($"--shard-rows {rows}: a shard needs at least one bar.");
        }

        if (cluster is not null)
        {
            return cluster.UseAsync(dispatcher => FeatureShards.EvaluateAsync(dispatcher, definitions, fields, times, symbols, backend, rows)).GetAwaiter().GetResult();
        }

        // Shards computed here go to a scratch folder: the units and their outputs are the cluster's, only the place differs.
        var scratch = Directory.CreateTempSubdirectory("qp-shards-");
        var log = Core.Compute.ComputeBackends.Log;
        try
        {
            // The command has already said which backend it uses; the shards' executor would say it again.
            Core.Compute.ComputeBackends.Log = _ => { };
            var dispatcher = new LocalDispatcher(new SharedStore(scratch.FullName), ClusterRun.LocalExecutors());
            return FeatureShards.EvaluateAsync(dispatcher, definitions, fields, times, symbols, backend, rows).GetAwaiter().GetResult();
        }
        finally
        {
            Core.Compute.ComputeBackends.Log = log;
            scratch.Delete(recursive: true);
        }
    }
}
