using System.Security.Cryptography;
using System.Text.Json;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// A backfill as units: one retrain per as-of date, placed on GPU silos when the cluster has any, committed in date
/// order. The unit key covers the date, the working folder and the config file's bytes with its overrides, so a
/// re-run after a lost silo (or a second backfill over the same dates) finds the finished dates and skips them.
/// </summary>
public static class ClusterBackfill
{
    /// <summary>Dispatch options for <paramref name="unit"/>: one date at a time when the unit registers on the silo.</summary>
    public static ClusterDispatchOptions DispatchOptions(IRetrainUnit unit, ClusterDispatchOptions? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var options = baseline ?? new ClusterDispatchOptions();
        return unit.RegistersOnSilo ? options with { MaxInFlight = 1 } : options;
    }

    /// <summary>One unit per date; <paramref name="kind"/> <see cref="RetrainExecutor.ValidateUnitKind"/> for units that stop after validate.</summary>
    public static IReadOnlyList<UnitRequest> Units(IReadOnlyList<DateOnly> asOfDates, string workingDirectory, string? configPath, IReadOnlyList<string> sets, string kind = RetrainExecutor.UnitKind)
    {
        ArgumentNullException.ThrowIfNull(asOfDates);
        var configHash = configPath is null ? "defaults" : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(configPath)));
        var folder = Path.GetFullPath(workingDirectory);
        return asOfDates.Order().Select(asOf =>
        {
            var payload = JsonSerializer.Serialize(new RetrainPayload(asOf, folder, configPath is null ? null : Path.GetFullPath(configPath), sets));
            var key = SharedStore.HashKey(kind, asOf.ToString("yyyy-MM-dd"), folder, configHash, string.Join('\n', sets));
            return new UnitRequest(kind, key, payload, PreferGpu: true);
        }).ToList();
    }

    /// <summary>Runs the dates and passes each outcome to <paramref name="commit"/> in date order.</summary>
    public static async Task<IReadOnlyList<RetrainOutcome>> RunAsync(
        IUnitDispatcher dispatcher,
        IReadOnlyList<UnitRequest> units,
        Action<RetrainOutcome>? commit = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        var outcomes = new List<RetrainOutcome>(units.Count);
        await dispatcher.RunAsync(
            units,
            (_, json) =>
            {
                var outcome = JsonSerializer.Deserialize<RetrainOutcome>(json)!;
                commit?.Invoke(outcome);
                outcomes.Add(outcome);
            },
            progress,
            "backfill",
            cancellationToken).ConfigureAwait(false);
        return outcomes;
    }
}
