using System.Globalization;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>
/// Monitors the production model (the latest approved version registered at or before the as-of) over the stored
/// market data: feature and prediction drift against the version's monitoring reference, realised IC, Rank IC and
/// PnL once labels are known, change detection on the IC series, and data quality. Returns figures and alerts;
/// sending the alerts and acting on them is left to the caller.
/// </summary>
public sealed class ModelMonitor(PipelineConfig config, string workingDirectory, MonitorOptions? options = null)
{
    private static readonly string[] BarFields = ["open", "high", "low", "close", "volume"];

    public PipelineConfig Config { get; } = config;

    public string WorkingDirectory { get; } = Path.GetFullPath(workingDirectory);

    public MonitorOptions Options { get; } = options ?? new MonitorOptions();

    public MonitoringResult Run(DateOnly asOf, DateTime? raisedUtc = null)
    {
        Config.Validate();
        Options.Validate();
        var model = ProductionVersion(asOf);
        var referencePath = model.Parameters.TryGetValue(MonitoringNames.ReferenceParameter, out var p)
            ? p
            : throw new InvalidOperationException($"{model.ModelName} version {model.Version} has no '{MonitoringNames.ReferenceParameter}' parameter in the registry; it was trained before monitoring references were written. Retrain it to monitor it.");
        var reference = MonitoringReference.Load(referencePath);
        if (Components.ComponentRecord.Read(model.Parameters) is { } components)
        {
            // The pipeline's own monitor stage watches these versions; qp monitor still computes only the six default features.
            throw new NotSupportedException(
                $"{model.ModelName} version {model.Version} was built from model.kind {components.Model} on feature set {components.FeatureSet}; qp monitor watches only versions of the default components (skeleton6 + mlp) so far. Its run's monitor stage recorded its drift in the audit trail (qp audit export).");
        }

        var panel = LoadPanel(asOf);
        int t = panel.T, n = panel.N;
        IComputeBackend backend = Config.ComputeBackend == "managed" ? ManagedBackend.Instance : NativeBackend.Instance;
        SkeletonFeatureSet.Compute(panel, backend);
        var inputs = new float[SkeletonFeatureSet.Names.Length][];
        for (var f = 0; f < inputs.Length; f++)
        {
            inputs[f] = new float[t * n];
            PanelOps.CrossSectionalZScore(panel.Field(SkeletonFeatureSet.Names[f]), inputs[f], panel.Membership, t, n, clip: FeatureClip(model));
        }

        var label = new float[t * n];
        PanelOps.ForwardReturn(panel.Field("close"), label, t, n, 1);

        // Predictions from the first labelled session of the decay history to the last session.
        var firstRow = Math.Max(0, t - 1 - Options.DecayHistorySessions);
        var predictions = Predict(model, inputs, firstRow, t - 1, n);

        // One [series × cells] block per question, features then predictions, for the batched drift kernels.
        FeatureReference[] watched = [.. reference.Features, reference.Prediction];
        var driftFrom = Math.Max(0, t - Options.DriftWindowSessions);
        var drift = DriftKernels.Compute(watched, Block(panel, watched, predictions, firstRow, driftFrom), (t - driftFrom) * n, Options.Drift);
        var psiHistory = History(panel, watched, predictions, firstRow);

        var decay = Decay(panel, predictions, label, firstRow, reference);
        var windowStart = WeekdayOrCalendarStart(asOf);
        var quality = DataQuality.Check(panel, ExpectedSessions(windowStart, asOf), windowStart, asOf, BarFields, Options.DataQuality);
        var alerts = new AlertRules(Options, model.ModelName, model.Version, asOf, raisedUtc ?? DateTime.UtcNow)
            .From(drift, decay, quality);
        return new MonitoringResult(
            model.ModelName,
            model.Version,
            model.AsOf,
            asOf,
            Date(panel, driftFrom),
            Date(panel, t - 1),
            drift,
            decay,
            quality,
            alerts)
        {
            PsiHistory = psiHistory,
        };
    }

    /// <summary>
    /// The version the <c>production</c> alias points to when it was trained at or before the as-of; otherwise
    /// (no alias yet, or monitoring an earlier date) the latest approved version registered at or before the as-of.
    /// </summary>
    public ModelVersion ProductionVersion(DateOnly asOf)
    {
        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
        var versions = registry.ListVersions(Config.ModelName);
        if (registry.GetAlias(Config.ModelName, ModelRegistry.Production) is { } alias
            && versions.FirstOrDefault(v => v.Version == alias.Version) is { } holder
            && holder.AsOf <= asOf)
        {
            return holder;
        }

        return versions.LastOrDefault(v => v.Status == "approved" && v.AsOf <= asOf)
            ?? throw new InvalidOperationException(
                $"Registry {registry.Describe} holds no approved version of '{Config.ModelName}' as of {asOf:yyyy-MM-dd} ({versions.Count} versions in all). Run the pipeline (qp demo) first, or pick a later --as-of.");
    }

    private Panel LoadPanel(DateOnly asOf)
    {
        var sessionsNeeded = SkeletonFeatureSet.Lookback + Options.DecayHistorySessions + Options.DriftWindowSessions + 2;
        var from = asOf.AddDays(-(int)Math.Ceiling(sessionsNeeded * 7.0 / 5.0) - 14);
        var storePath = Path.Combine(WorkingDirectory, Config.MarketStorePath);
        if (!File.Exists(storePath))
        {
            throw new FileNotFoundException($"Market store {storePath} does not exist; ingest data (qp demo) into this working folder first.", storePath);
        }

        using var store = MarketStore.Open(storePath, readOnly: true);
        // Adjusted for corporate actions as of the date, like the panels the model was trained and scored on: a split
        // must not read as a return (drift, realised IC) or as a price jump.
        var panel = store.LoadDailyPanel(from, asOf, BarFields, adjustAsOf: asOf);
        var minimum = SkeletonFeatureSet.Lookback + Options.DriftWindowSessions + Options.RollingWindowSessions;
        if (panel.T < minimum)
        {
            throw new InvalidOperationException(
                $"Only {panel.T} sessions are stored in {storePath} from {from:yyyy-MM-dd} to {asOf:yyyy-MM-dd}; monitoring needs at least {minimum} (feature lookback {SkeletonFeatureSet.Lookback} + drift window {Options.DriftWindowSessions} + rolling window {Options.RollingWindowSessions}).");
        }

        return panel;
    }

    /// <summary>The version's own feature clip (from its lineage), so that it is monitored on the inputs it was trained on.</summary>
    private static float FeatureClip(ModelVersion model) =>
        (float)(model.Lineage?.ConfigJson is null ? new PipelineConfig() : Deploy.BatchInference.ConfigOf(model)).FeatureZScoreClip;

    private static float[] Predict(ModelVersion model, float[][] inputs, int from, int to, int n)
    {
        var hidden = model.Parameters.TryGetValue("hidden", out var h)
            ? h.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : [64, 32];
        if (!File.Exists(model.ArtifactPath))
        {
            throw new FileNotFoundException($"Artifact of {model.ModelName} version {model.Version} is missing: {model.ArtifactPath}.", model.ArtifactPath);
        }

        using var network = new MlpRegressor(inputs.Length, hidden);
        network.load(model.ArtifactPath);
        network.eval();
        return ModelInputs.Predict(network, inputs, from, to, n);
    }

    /// <summary>Rows [from, T) of each watched feature field, then the predictions over the same rows.</summary>
    private static float[] Block(Panel panel, FeatureReference[] watched, float[] predictions, int firstRow, int from)
    {
        var cells = (panel.T - from) * panel.N;
        var block = new float[watched.Length * cells];
        for (var f = 0; f < watched.Length - 1; f++)
        {
            panel.Field(watched[f].Name).AsSpan(from * panel.N, cells).CopyTo(block.AsSpan(f * cells));
        }

        predictions.AsSpan((from - firstRow) * panel.N, cells).CopyTo(block.AsSpan((watched.Length - 1) * cells));
        return block;
    }

    /// <summary>PSI of the trailing drift window at every session of the decay history once a full window has passed.</summary>
    private PsiHistory History(Panel panel, FeatureReference[] watched, float[] predictions, int firstRow)
    {
        var rows = panel.T - firstRow;
        var window = Options.DriftWindowSessions;
        var psi = DriftKernels.RollingPsi(watched, Block(panel, watched, predictions, firstRow, firstRow), rows, panel.N, window);
        var first = Math.Min(window - 1, rows);
        return new PsiHistory(
            [.. Enumerable.Range(firstRow + first, rows - first).Select(i => Date(panel, i))],
            [.. watched.Select(w => w.Name)],
            [.. psi.Select(series => series[first..])],
            window);
    }

    private DecayFigures Decay(Panel panel, float[] predictions, float[] label, int firstRow, MonitoringReference reference)
    {
        var n = panel.N;
        // A label at row i is the return from i to i+1, so the last labelled row is the one before the last.
        var rows = panel.T - 1 - firstRow;
        var signal = predictions.AsSpan(0, rows * n);
        var realised = label.AsSpan(firstRow * n, rows * n);
        var ic = InformationCoefficient.PerBar(signal, realised, rows, n);
        var rankIc = InformationCoefficient.RankPerBar(signal, realised, rows, n);
        var pnl = LongShortBacktest.Run(signal, realised, rows, n, Config.BacktestQuantile, Config.BacktestCostBps).NetReturns;
        var window = Options.RollingWindowSessions;
        var rollingIc = RollingStatistics.Mean(ic, window, Math.Max(1, window / 2));
        var rollingSharpe = RollingStatistics.Sharpe(pnl, window, Math.Max(2, window / 2));
        var below = 0;
        for (var i = rows - 1; i >= 0 && double.IsFinite(rollingIc[i]) && rollingIc[i] < Options.MinRollingIc; i--)
        {
            below++;
        }

        var validation = reference.Validation;
        var sigma = double.IsFinite(validation.IcStd) && validation.IcStd > 0 ? validation.IcStd : 0.1;
        var mu = double.IsFinite(validation.IcMean) ? validation.IcMean : 0.0;
        var cusum = Cusum.Run(ic, mu, Options.CusumSlackSigmas * sigma, Options.CusumThresholdSigmas * sigma);
        var pageHinkley = PageHinkley.Run(ic, Options.PageHinkleyDeltaSigmas * sigma, Options.PageHinkleyLambdaSigmas * sigma);
        var sessions = Enumerable.Range(firstRow, rows).Select(i => Date(panel, i)).ToList();
        return new DecayFigures(
            sessions,
            ic,
            rankIc,
            pnl,
            rollingIc,
            rollingSharpe,
            FiniteMean(ic),
            FiniteMean(rankIc),
            pnl.Length > 1 ? RollingStatistics.Sharpe(pnl, pnl.Length, 2)[^1] : double.NaN,
            validation.IcMean,
            validation.IcStd,
            validation.Sharpe,
            below,
            cusum,
            pageHinkley,
            cusum.ChangeIndex is { } c ? sessions[c] : null);
    }

    private DateOnly WeekdayOrCalendarStart(DateOnly asOf)
    {
        if (Options.ExpectedSessions is { } expected)
        {
            var upTo = expected.Where(d => d <= asOf).OrderBy(d => d).ToList();
            return upTo.Count == 0 ? asOf : upTo[Math.Max(0, upTo.Count - Options.DriftWindowSessions)];
        }

        return ExchangeCalendars.Get(Config.Exchange).SessionsEndingAt(asOf, Options.DriftWindowSessions)[0];
    }

    /// <summary>The sessions data must exist for: the given list, else the configured exchange's calendar (holidays are not gaps).</summary>
    private IReadOnlyList<DateOnly> ExpectedSessions(DateOnly from, DateOnly to) =>
        Options.ExpectedSessions ?? ExchangeCalendars.Get(Config.Exchange).Sessions(from, to);

    private static double FiniteMean(double[] values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length > 0 ? finite.Average() : double.NaN;
    }

    private static DateOnly Date(Panel panel, int index) => DateOnly.FromDateTime(panel.Timestamps[index]);
}
