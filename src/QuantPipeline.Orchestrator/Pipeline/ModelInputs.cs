using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Components;
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

    /// <summary>
    /// The skeleton features (<see cref="SkeletonFeatureSet"/>) written in the expression language. The kernels compute
    /// them; the compiler reads these definitions to derive how much history each needs, so the loader fetches exactly
    /// that (a test checks that both give the same values on every fully formed row).
    /// </summary>
    public static IReadOnlyList<FeatureDefinition> Definitions { get; } =
    [
        new("ret_1", "$close / Ref($close, 1) - 1"),
        new("ret_5", "$close / Ref($close, 5) - 1"),
        new("ma_ratio_10", "Mean($close, 10) / $close - 1"),
        new("ma_ratio_20", "Mean($close, 20) / $close - 1"),
        new("vol_20", "Std($close / Ref($close, 1) - 1, 20)"),
        new("volume_z_20", "($volume - Mean($volume, 20)) / Std($volume, 20)"),
    ];

    private static readonly Lazy<CompiledFeatureSet> CompiledSet = new(() => FeatureCompiler.Compile(Definitions));

    /// <summary>The compiled definitions: per-feature lookbacks and the fields they read.</summary>
    public static CompiledFeatureSet Compiled => CompiledSet.Value;

    /// <summary>Sessions before a row that its features read (the longest path through the compiled graph; 20 for the skeleton set).</summary>
    public static int FeatureLookback => Compiled.Lookback;

    /// <summary>
    /// The configured feature set (features.set); a feature-set file is read relative to <paramref name="workingDirectory"/>
    /// (the current folder when null).
    /// </summary>
    public static Core.Features.Library.FeatureSet FeatureSetOf(PipelineConfig config, string? workingDirectory = null) =>
        PipelineFeatures.Resolve(config, workingDirectory ?? Directory.GetCurrentDirectory());

    /// <summary>
    /// Sessions before a scored row that its inputs read: the feature set's lookback, plus the earlier sessions a
    /// sequence model reads (<see cref="FeatureLookback"/> for the default configuration).
    /// </summary>
    public static int Lookback(PipelineConfig config, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ComponentRules.IsLegacy(config)
            ? FeatureLookback
            : PipelineFeatures.Lookback(FeatureSetOf(config, workingDirectory)) + config.ModelSequenceLength - 1;
    }

    /// <summary>
    /// Sessions a training run loads: the lookback before the first training row, the training and validation
    /// windows, the label's end (purged) between them and after the validation window up to the as-of session.
    /// </summary>
    public static int SessionsNeeded(PipelineConfig config, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Lookback(config, workingDirectory) + config.TrainingWindowDays + config.ValidationWindowDays + 2 * PipelineLabels.EndOffset(config);
    }

    /// <summary>
    /// The point-in-time panel for a training run as of <paramref name="asOf"/>: the last <see cref="SessionsNeeded"/>
    /// sessions of the configured exchange with stored bars, ending at or before the as-of date, with prices and
    /// volumes back-adjusted for the splits and dividends announced and effective by then; with its snapshot id.
    /// </summary>
    /// <param name="knownAt">Only bar versions available by this UTC time are read; default: the latest stored version of each bar.</param>
    public static (Panel Panel, string SnapshotId) Load(MarketStore store, PipelineConfig config, DateOnly asOf, DateTime? knownAt = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var needed = SessionsNeeded(config, workingDirectory);
        return Load(store, config, asOf, needed, knownAt, workingDirectory, () =>
            $"lookback {Lookback(config, workingDirectory)} + training {config.TrainingWindowDays} + validation {config.ValidationWindowDays} + 2 x {PipelineLabels.EndOffset(config)} label sessions need {needed}. Ingest more history or shorten the windows.");
    }

    /// <summary>
    /// Only what the inputs of the last session need (<see cref="Lookback"/> + 1 sessions), adjusted as of
    /// <paramref name="asOf"/>: the inputs of one out-of-sample prediction, exactly as they were known that day.
    /// </summary>
    public static (Panel Panel, string SnapshotId) LoadForPrediction(MarketStore store, PipelineConfig config, DateOnly asOf, DateTime? knownAt = null, string? workingDirectory = null)
    {
        var lookback = Lookback(config, workingDirectory);
        return Load(store, config, asOf, lookback + 1, knownAt, workingDirectory, () => $"the inputs need {lookback + 1} (lookback {lookback} + the session itself). Ingest more history.");
    }

    /// <summary>The request behind a panel of <paramref name="sessions"/> exchange sessions ending at the last session on or before <paramref name="asOf"/>.</summary>
    public static PanelRequest Request(PipelineConfig config, DateOnly asOf, int sessions, DateTime? knownAt = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var fields = ComponentRules.IsLegacy(config) ? Fields : PipelineFeatures.Fields(FeatureSetOf(config, workingDirectory));
        var calendar = ExchangeCalendars.Get(config.Exchange);
        var range = calendar.SessionsEndingAt(asOf, sessions);
        return new PanelRequest
        {
            From = range[0],
            To = range[^1],
            Calendar = calendar.Name,
            Fields = fields,
            KnownAt = knownAt ?? MarketStore.Latest,
            AdjustAsOf = range[^1],
        };
    }

    private static (Panel Panel, string SnapshotId) Load(MarketStore store, PipelineConfig config, DateOnly asOf, int sessions, DateTime? knownAt, string? workingDirectory, Func<string> needs)
    {
        ArgumentNullException.ThrowIfNull(store);
        var request = Request(config, asOf, sessions, knownAt, workingDirectory);
        var panel = store.LoadPanel(request);
        var lastStored = LastRowWithBars(panel);
        if (lastStored < panel.T - 1)
        {
            // Sessions at the end without any stored bar (the as-of date is past the data): end at the last stored one.
            var last = lastStored >= 0
                ? DateOnly.FromDateTime(panel.Timestamps[lastStored])
                : LastStoredSessionBefore(store, request, sessions)
                    ?? throw new InvalidOperationException(
                        $"No {request.Calendar} bars are stored on or before {asOf:yyyy-MM-dd}; {needs()}");
            request = Request(config, last, sessions, knownAt, workingDirectory);
            panel = store.LoadPanel(request);
        }

        var firstStored = FirstRowWithBars(panel);
        if (firstStored > 0)
        {
            throw new InvalidOperationException(
                $"Only {panel.T - firstStored} sessions are stored up to {request.To:yyyy-MM-dd} ({request.Calendar} sessions from {request.From:yyyy-MM-dd} hold no bars before {DateOnly.FromDateTime(panel.Timestamps[firstStored]):yyyy-MM-dd}); {needs()}");
        }

        EnsureFieldsStored(panel, request);
        return (panel, store.SnapshotId(request, panel));
    }

    /// <summary>
    /// Refuses, before any feature is computed, a panel in which a field a feature reads holds no value at all (a
    /// close-only file stores open, high, low and volume as missing): the features would be all missing and training
    /// would find no rows. The message names the field, the features and expressions that read it, and a way out.
    /// </summary>
    private static void EnsureFieldsStored(Panel panel, PanelRequest request)
    {
        foreach (var field in Fields)
        {
            if (!panel.HasField(field) || panel.Field(field).Any(v => !float.IsNaN(v)))
            {
                continue;
            }

            var needing = Definitions.Where(d => System.Text.RegularExpressions.Regex.IsMatch(d.Expression, $@"\${field}\b")).ToList();
            if (needing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The market store holds no {field} for {request.From:yyyy-MM-dd}..{request.To:yyyy-MM-dd} (bar files without a {field} column store it as missing), " +
                    $"and the model's feature(s) {string.Join("; ", needing.Select(d => $"{d.Name} = {d.Expression}"))} need it. " +
                    $"Ingest bars with a {field} column for these symbols and dates; the built-in feature set cannot yet leave {field} out.");
            }
        }
    }

    /// <summary>The last session before <paramref name="request"/>'s range with a stored bar, searched back in doubling spans (closes only).</summary>
    private static DateOnly? LastStoredSessionBefore(MarketStore store, PanelRequest request, int span)
    {
        var calendar = ExchangeCalendars.Get(request.Calendar);
        var end = request.From;
        for (var searched = 0; searched < MaxSessionsSearched; searched += span, span *= 2)
        {
            end = calendar.PreviousSession(end);
            if (end <= calendar.FirstDate)
            {
                return null;
            }

            // About span sessions back in calendar days, never before the calendar's rules begin.
            var from = end.AddDays(-(span * 7 / 5 + 10));
            var range = calendar.Sessions(from > calendar.FirstDate ? from : calendar.FirstDate, end);
            var probe = store.LoadPanel(request with { From = range[0], To = end, Fields = ["close"], AdjustAsOf = null });
            var row = LastRowWithBars(probe);
            if (row >= 0)
            {
                return DateOnly.FromDateTime(probe.Timestamps[row]);
            }

            end = range[0];
        }

        return null;
    }

    /// <summary>How far back (about 40 years of sessions) an as-of date past the data looks for the last stored session.</summary>
    private const int MaxSessionsSearched = 10_000;

    private static int LastRowWithBars(Panel panel)
    {
        var close = panel.Field("close");
        for (var i = panel.T - 1; i >= 0; i--)
        {
            if (RowHasBars(close, i, panel.N))
            {
                return i;
            }
        }

        return -1;
    }

    private static int FirstRowWithBars(Panel panel)
    {
        var close = panel.Field("close");
        for (var i = 0; i < panel.T; i++)
        {
            if (RowHasBars(close, i, panel.N))
            {
                return i;
            }
        }

        return panel.T;
    }

    private static bool RowHasBars(float[] close, int row, int n)
    {
        foreach (var value in close.AsSpan(row * n, n))
        {
            if (!float.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The configured backend. Backends are shared instances, so one per name is kept: a backfill asks for it once per
    /// retrain and window, and the choice (logged when made) does not change within a process.
    /// </summary>
    public static IComputeBackend Backend(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ChosenBackends.GetOrAdd(config.ComputeBackend.Trim().ToLowerInvariant(), ComputeBackends.Create);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IComputeBackend> ChosenBackends = new(StringComparer.Ordinal);

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
