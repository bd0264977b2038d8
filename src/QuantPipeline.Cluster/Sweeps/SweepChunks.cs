using System.Text.Json;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>
/// A sweep cut into chunks of variants: the input panel goes to the shared folder once (content-addressed), each chunk
/// is a unit, and the results come back in variant order. Each variant's backtest depends only on the inputs and its
/// own options, so chunking does not change any number.
/// </summary>
public static class SweepChunks
{
    public static async Task<IReadOnlyList<SweepVariantResult>> RunAsync(
        IUnitDispatcher dispatcher,
        string inputPanelFile,
        IReadOnlyList<Core.Backtest.BacktestOptions> variants,
        double periodsPerYear,
        int chunkSize,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var input = dispatcher.Store.PutInput(await File.ReadAllBytesAsync(inputPanelFile, cancellationToken).ConfigureAwait(false), ".arrow");
        var units = variants.Chunk(chunkSize).Select(chunk =>
        {
            var payload = JsonSerializer.Serialize(new SweepChunkPayload(input, chunk, periodsPerYear), SweepJson.Options);
            return new UnitRequest(SweepChunkExecutor.UnitKind, SharedStore.HashKey(SweepChunkExecutor.UnitKind, payload), payload, PreferGpu: false);
        }).ToList();
        var results = new List<SweepVariantResult>(variants.Count);
        await dispatcher.RunAsync(
            units,
            (_, json) => results.AddRange(JsonSerializer.Deserialize<List<SweepVariantResult>>(json, SweepJson.Options)!),
            progress,
            "sweep",
            cancellationToken).ConfigureAwait(false);
        return results;
    }
}
