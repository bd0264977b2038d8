using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Storage.Market;
using QuantPipeline.Training;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// The point-in-time panel and model inputs for an as-of date, shared by training, batch inference and
/// reproduction so that all three see exactly the same numbers for the same date and configuration.
/// </summary>
public static class ModelInputs
{
    public static readonly string[] Fields = ["open", "high", "low", "close", "volume"];

    public static int SessionsNeeded(PipelineConfig config) =>
        SkeletonFeatureSet.Lookback + config.TrainingWindowDays + config.ValidationWindowDays + 2;

    /// <summary>Bars dated at or before <paramref name="asOf"/> only, enough for the configured windows; with the store's snapshot id.</summary>
    public static (Panel Panel, string SnapshotId) Load(MarketStore store, PipelineConfig config, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(config);
        var sessionsNeeded = SessionsNeeded(config);
        // Calendar days that surely hold enough sessions: exchange calendars close on holidays too, and NYSE has
        // had as few as 248 sessions a year (ad-hoc closures), so weekdays alone (7/5) would fall short.
        var from = asOf.AddDays(-(int)Math.Ceiling(sessionsNeeded * 365.25 / 248.0) - 14);
        var loaded = store.LoadDailyPanel(from, asOf, Fields);
        if (loaded.T < sessionsNeeded)
        {
            throw new InvalidOperationException(
                $"Only {loaded.T} sessions are stored up to {asOf:yyyy-MM-dd}; lookback {SkeletonFeatureSet.Lookback} + training {config.TrainingWindowDays} + validation {config.ValidationWindowDays} + 2 label sessions need {sessionsNeeded}. Ingest more history or shorten the windows.");
        }

        return (loaded, store.SnapshotId(DateOnly.FromDateTime(loaded.Timestamps[0]), asOf));
    }

    public static IComputeBackend Backend(PipelineConfig config) =>
        ComputeBackends.Create(config.ComputeBackend);

    /// <summary>Cross-sectionally z-scored features (clipped at ±<paramref name="clip"/>, the config's features.zscore_clip), one [T, N] array per feature.</summary>
    public static float[][] Compute(Panel panel, IComputeBackend backend, float clip = 5f)
    {
        ArgumentNullException.ThrowIfNull(panel);
        SkeletonFeatureSet.Compute(panel, backend);
        int t = panel.T, n = panel.N;
        var inputs = new float[SkeletonFeatureSet.Names.Length][];
        for (var f = 0; f < inputs.Length; f++)
        {
            inputs[f] = new float[t * n];
            PanelOps.CrossSectionalZScore(panel.Field(SkeletonFeatureSet.Names[f]), inputs[f], panel.Membership, t, n, clip);
        }

        return inputs;
    }

    /// <summary>Predictions for every cell in rows [from, to]; NaN where any input is missing.</summary>
    public static float[] Predict(MlpRegressor model, float[][] inputs, int from, int to, int n)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var columns = inputs.Length;
        var cells = (to - from + 1) * n;
        var output = new float[cells];
        Array.Fill(output, float.NaN);
        var valid = new List<int>(cells);
        for (var c = 0; c < cells; c++)
        {
            var cell = from * n + c;
            if (inputs.All(f => float.IsFinite(f[cell])))
            {
                valid.Add(c);
            }
        }

        var x = new float[valid.Count * columns];
        for (var r = 0; r < valid.Count; r++)
        {
            for (var f = 0; f < columns; f++)
            {
                x[r * columns + f] = inputs[f][from * n + valid[r]];
            }
        }

        var predictions = MlpTrainer.Predict(model, x, valid.Count, columns);
        for (var r = 0; r < valid.Count; r++)
        {
            output[valid[r]] = predictions[r];
        }

        return output;
    }
}
