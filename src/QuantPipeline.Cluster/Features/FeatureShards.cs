using System.Text.Json;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Features;

/// <summary>
/// Features over a long history as time shards: the coordinator writes each shard's input (own rows plus the
/// compiler's lookback) to the shared folder, the dispatcher runs the shards, and the shard outputs are stitched in
/// time order into full [T, N] arrays. A shard reads its whole lookback and lookahead (from the first row when the set
/// has exponentially weighted features), so each value sees the same data as in one pass over the history and the
/// stitched arrays equal the one-pass arrays bit for bit.
/// </summary>
public static class FeatureShards
{
    public static async Task<Dictionary<string, float[]>> EvaluateAsync(
        IUnitDispatcher dispatcher,
        IReadOnlyList<FeatureDefinition> definitions,
        IReadOnlyDictionary<string, float[]> fields,
        IReadOnlyList<DateTime> timestamps,
        IReadOnlyList<string> symbols,
        string backend,
        int shardRows,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(fields);
        var compiled = FeatureCompiler.Compile(definitions.ToList());
        int t = timestamps.Count, n = symbols.Count;
        var full = new Panel(timestamps, symbols);
        foreach (var (name, values) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (compiled.Fields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                full.SetField(name, values);
            }
        }

        var defs = definitions.Select(d => new[] { d.Name, d.Expression }).ToList();
        var infiniteMemory = compiled.Nodes.Any(node => node.Op is DagOp.Ewm or DagOp.Rsi);
        var shards = FeatureShardPlan.Plan(t, shardRows, compiled.Lookback, compiled.Lookahead, fromStart: infiniteMemory);
        var units = new List<UnitRequest>(shards.Count);
        foreach (var shard in shards)
        {
            var slice = full.SliceTime(shard.ReadStart, shard.ReadCount);
            using var buffer = new MemoryStream();
            PanelIpc.WriteStream(slice, buffer);
            var input = dispatcher.Store.PutInput(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ".arrows");
            var payload = JsonSerializer.Serialize(new FeatureShardPayload(input, shard.Overlap, shard.OwnCount, defs, backend));
            units.Add(new UnitRequest(FeatureShardExecutor.UnitKind, SharedStore.HashKey(FeatureShardExecutor.UnitKind, payload), payload, PreferGpu: false));
        }

        var results = definitions.ToDictionary(d => d.Name, _ => new float[t * n], StringComparer.Ordinal);
        await dispatcher.RunAsync(
            units,
            (i, _) =>
            {
                var output = PanelIpc.ReadFile(Path.Combine(dispatcher.Store.UnitDirectory(units[i].Key), FeatureShardExecutor.OutputName));
                if (output.T != shards[i].OwnCount || output.N != n)
                {
                    throw new InvalidDataException($"Shard {i + 1} of {shards.Count} ({units[i].Key}) holds {output.T}×{output.N} values; expected {shards[i].OwnCount}×{n}.");
                }

                foreach (var name in results.Keys)
                {
                    output.Field(name).CopyTo(results[name], shards[i].OwnStart * n);
                }
            },
            progress,
            "features",
            cancellationToken).ConfigureAwait(false);
        return results;
    }
}
