using System.Globalization;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Compute;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// The one table of every setting: its place in the YAML file, the <see cref="PipelineConfig"/> property behind it,
/// its meaning and its valid values. The loader, the validator, <c>qp init</c>'s commented default and the
/// documentation of environment overrides all read this table, so a setting exists in all of them or in none.
/// </summary>
public static class PipelineConfigSchema
{
    /// <summary>Section titles, in file order, with what each section is about.</summary>
    public static IReadOnlyList<(string Name, string Description)> Sections { get; } =
    [
        ("data", "Where the market data live."),
        ("features", "The model's inputs: the feature set and its cross-sectional transform."),
        ("labels", "The training target."),
        ("model", "The model the pipeline trains and its hyperparameters (each kind reads its own)."),
        ("training", "The optimiser (Adam on mean squared error) and the device."),
        ("validation", "How the model is validated before the gate."),
        ("backtest", "The long-short validation backtest behind the gate's figures."),
        ("gate", "Optional quality-gate rules on top of min_sharpe_threshold and max_drawdown_threshold (null: rule off)."),
        ("monitoring", "qp monitor: windows, drift and data-quality bounds, change detection."),
        ("monitoring.retrain", "When qp monitor starts a retrain (any one reason suffices; the schedule is retraining_frequency)."),
        ("compute", "Which backend runs the feature and backtest kernels."),
        ("schedule", "The market calendar of the retraining schedule and of session arithmetic."),
        ("runs", "Retries of a stage that fails with a transient error (a locked database, say)."),
    ];

    public static IReadOnlyList<ConfigSetting> Settings { get; } =
    [
        // The original specification's fields: top level, their names and defaults.
        Row("model_name", nameof(PipelineConfig.ModelName), "Name the model is registered under.", NotBlank),
        Row("universe", nameof(PipelineConfig.Universe), "Name of the traded universe (a tag on every version).", NotBlank, "universe.name"),
        Row("training_window_days", nameof(PipelineConfig.TrainingWindowDays), "Training window in trading sessions (756 = three years).", IntIn(20, 100_000), "training.window_days"),
        Row("validation_window_days", nameof(PipelineConfig.ValidationWindowDays), "Validation window in trading sessions (252 = one year).", IntIn(20, 100_000), "validation.window_days"),
        Row("retraining_frequency", nameof(PipelineConfig.RetrainingFrequency), "daily | weekly | monthly | quarterly, on the schedule.exchange calendar.", OneOf("daily", "weekly", "monthly", "quarterly"), "schedule.frequency"),
        Row("min_sharpe_threshold", nameof(PipelineConfig.MinSharpeThreshold), "The gate passes only when the validation Sharpe (annualised x252) is at least this (a very low value such as -100 turns the rule off).", Finite, "gate.min_sharpe"),
        Row("max_drawdown_threshold", nameof(PipelineConfig.MaxDrawdownThreshold), "The gate passes only when the validation max drawdown (a negative fraction) is at least this.", NumIn(-1, 0, "must be a negative fraction in [-1, 0] (e.g. -0.15)"), "gate.max_drawdown"),
        Row("model_registry_uri", nameof(PipelineConfig.ModelRegistryUri), "sqlite:///relative.db, sqlite:////absolute.db or postgresql://user@host:port/db.", RegistryUriCheck, "registry.uri"),

        Row("data.store", nameof(PipelineConfig.MarketStorePath), "DuckDB market store, relative to the working folder.", NotBlank),
        Row("features.zscore_clip", nameof(PipelineConfig.FeatureZScoreClip), "Each of the six features is z-scored across symbols and clipped at +/- this.", NumIn(0.5, 100)),
        Row("labels.zscore_clip", nameof(PipelineConfig.LabelZScoreClip), "Next-session returns are z-scored across symbols and clipped at +/- this.", NumIn(0.5, 100)),
        Row("model.hidden_layers", nameof(PipelineConfig.HiddenLayers), "Hidden layer widths of the MLP, input side first.", Layers),
        Row("training.epochs", nameof(PipelineConfig.TrainingEpochs), "Passes over the training samples.", IntIn(1, 10_000)),
        Row("training.batch_size", nameof(PipelineConfig.TrainingBatchSize), "Samples per optimiser step.", IntIn(1, 1 << 20)),
        Row("training.learning_rate", nameof(PipelineConfig.TrainingLearningRate), "Adam's step size.", NumIn(1e-7, 1, lowOpen: false)),
        Row("training.weight_decay", nameof(PipelineConfig.TrainingWeightDecay), "Adam's L2 penalty on the weights.", NumIn(0, 1)),
        Row("training.seed", nameof(PipelineConfig.Seed), "Seed of the initial weights and of the batch order: the same seed gives the same model.", null),
        Row("features.set", nameof(PipelineConfig.FeatureSet), "skeleton6 | alpha158 | alpha360 | f8, or a path to a feature-set YAML file (relative to the working folder).", FeatureSetCheck),
        Row("features.transform", nameof(PipelineConfig.FeatureTransform), "cs_zscore | cs_rank | robust_zscore | none (the clip applies to all but none).", OneOf([.. ComponentRegistry.Transforms.Names])),
        Row("labels.kind", nameof(PipelineConfig.LabelKind), "forward_return | qlib.", OneOf([.. ComponentRegistry.Labels.Names])),
        Row("labels.horizon", nameof(PipelineConfig.LabelHorizon), "Bars the label's return spans (purging uses each label's end).", IntIn(1, 250)),
        Row("model.kind", nameof(PipelineConfig.ModelKind), "mlp | ridge | gru | lstm | transformer | lightgbm.", OneOf([.. ComponentRegistry.Models.Names])),
        Row("model.hidden_size", nameof(PipelineConfig.ModelHiddenSize), "Hidden state of gru and lstm, model width of transformer.", IntIn(1, 4096)),
        Row("model.num_layers", nameof(PipelineConfig.ModelNumLayers), "Stacked layers of gru, lstm and transformer.", IntIn(1, 16)),
        Row("model.dropout", nameof(PipelineConfig.ModelDropout), "Dropout of mlp (component path), gru, lstm and transformer.", NumIn(0, 0.9)),
        Row("model.sequence_length", nameof(PipelineConfig.ModelSequenceLength), "Past sessions per sample, today included (gru, lstm, transformer; 1 for the others).", IntIn(1, 250)),
        Row("model.heads", nameof(PipelineConfig.ModelHeads), "Attention heads of transformer; must divide model.hidden_size.", IntIn(1, 64)),
        Row("model.ridge_alpha", nameof(PipelineConfig.ModelRidgeAlpha), "Ridge penalty on the centred normal equations.", NumIn(0, 1e9)),
        Row("model.num_leaves", nameof(PipelineConfig.ModelNumLeaves), "LightGBM: leaves per tree.", IntIn(2, 131_072)),
        Row("model.boosting_learning_rate", nameof(PipelineConfig.ModelBoostingLearningRate), "LightGBM: shrinkage per round.", NumIn(0, 1, lowOpen: true)),
        Row("model.num_rounds", nameof(PipelineConfig.ModelNumRounds), "LightGBM: boosting rounds at most.", IntIn(1, 100_000)),
        Row("model.early_stopping_rounds", nameof(PipelineConfig.ModelEarlyStoppingRounds), "LightGBM: stop when the last tenth of the training window has not improved for this many rounds (0: off).", IntIn(0, 100_000)),
        Row("training.device", nameof(PipelineConfig.TrainingDevice), "cpu | cuda | auto (cuda when TorchSharp sees a GPU). Bit-identical reruns hold on cpu.", OneOf("cpu", "cuda", "auto")),
        Row("validation.scheme", nameof(PipelineConfig.ValidationScheme), "walk_forward | purged_kfold | cpcv.", OneOf([.. ComponentRegistry.ValidationSchemes.Names])),
        Row("validation.folds", nameof(PipelineConfig.ValidationFolds), "purged_kfold and cpcv: contiguous groups over the training and validation windows.", IntIn(2, 50)),
        Row("validation.test_folds", nameof(PipelineConfig.ValidationTestFolds), "cpcv: groups tested by each split.", IntIn(1, 49)),
        Row("validation.embargo_sessions", nameof(PipelineConfig.ValidationEmbargoSessions), "purged_kfold and cpcv: sessions after each test block left out of training.", IntIn(0, 1_000)),
        Row("backtest.quantile", nameof(PipelineConfig.BacktestQuantile), "Share of symbols held long (top) and short (bottom).", NumIn(0, 0.5, lowOpen: true)),
        Row("backtest.cost_bps", nameof(PipelineConfig.BacktestCostBps), "Trading cost in basis points per unit of turnover.", NumIn(0, 1_000)),
        Row("gate.min_deflated_sharpe", nameof(PipelineConfig.MinDeflatedSharpe), "The deflated Sharpe ratio (a probability) must be at least this.", NumIn(0, 1, "must be a probability in [0, 1]")),
        Row("gate.min_rank_ic", nameof(PipelineConfig.MinRankIc), "The mean Rank IC of the validation predictions must be at least this.", NumIn(-1, 1, "must be a correlation in [-1, 1]")),
        Row("gate.max_turnover", nameof(PipelineConfig.MaxTurnover), "The mean turnover (sum of |weight change| per session) must be at most this.", NumIn(0, 1_000, "must be in [0, 1000] (not negative)")),
        Row("monitoring.drift_window_sessions", nameof(PipelineConfig.MonitoringDriftWindowSessions), "Sessions up to the as-of whose features and predictions are compared with the training reference.", IntIn(5, 10_000)),
        Row("monitoring.decay_history_sessions", nameof(PipelineConfig.MonitoringDecayHistorySessions), "Labelled sessions over which realised IC and PnL are computed.", IntIn(5, 10_000)),
        Row("monitoring.rolling_window_sessions", nameof(PipelineConfig.MonitoringRollingWindowSessions), "Window of the rolling IC and rolling Sharpe.", IntIn(5, 10_000)),
        Row("monitoring.min_rolling_ic", nameof(PipelineConfig.MonitoringMinRollingIc), "A rolling IC below this raises a decay warning.", NumIn(-1, 1)),
        Row("monitoring.min_rolling_sharpe", nameof(PipelineConfig.MonitoringMinRollingSharpe), "A rolling Sharpe (annualised x252) below this raises a decay warning.", NumIn(-100, 100)),
        Row("monitoring.cusum_slack_sigmas", nameof(PipelineConfig.MonitoringCusumSlackSigmas), "CUSUM slack k on the daily IC, in validation standard deviations.", NumIn(0, 100)),
        Row("monitoring.cusum_threshold_sigmas", nameof(PipelineConfig.MonitoringCusumThresholdSigmas), "CUSUM alarm threshold h, in validation standard deviations.", NumIn(0, 1_000, lowOpen: true)),
        Row("monitoring.page_hinkley_delta_sigmas", nameof(PipelineConfig.MonitoringPageHinkleyDeltaSigmas), "Page-Hinkley tolerance delta, in validation standard deviations.", NumIn(0, 100)),
        Row("monitoring.page_hinkley_lambda_sigmas", nameof(PipelineConfig.MonitoringPageHinkleyLambdaSigmas), "Page-Hinkley alarm threshold lambda, in validation standard deviations.", NumIn(0, 1_000, lowOpen: true)),
        Row("monitoring.psi_warn", nameof(PipelineConfig.MonitoringPsiWarn), "PSI at or above this is a drift warning.", NumIn(0, 10, lowOpen: true)),
        Row("monitoring.psi_alert", nameof(PipelineConfig.MonitoringPsiAlert), "PSI at or above this is a drift alert.", NumIn(0, 10, lowOpen: true)),
        Row("monitoring.missing_rate_change_warn", nameof(PipelineConfig.MonitoringMissingRateChangeWarn), "Change in a feature's missing share (0.05 = 5 points) that raises a warning.", NumIn(0, 1, lowOpen: true)),
        Row("monitoring.missing_rate_change_alert", nameof(PipelineConfig.MonitoringMissingRateChangeAlert), "Change in a feature's missing share that raises an alert.", NumIn(0, 1, lowOpen: true)),
        Row("monitoring.max_nan_share", nameof(PipelineConfig.MonitoringMaxNanShare), "A session where more than this share of symbols lack a field is a NaN burst.", NumIn(0, 1, lowOpen: true)),
        Row("monitoring.max_abs_return", nameof(PipelineConfig.MonitoringMaxAbsReturn), "A close-to-close move beyond this (0.4 = 40 %) is a price jump.", NumIn(0, 100, lowOpen: true)),
        Row("monitoring.max_universe_shrink", nameof(PipelineConfig.MonitoringMaxUniverseShrink), "Alarm when the last session's symbol count falls below (1 - this) x the window's largest.", NumIn(0, 1, lowOpen: true)),
        Row("monitoring.retrain.drift_psi_threshold", nameof(PipelineConfig.RetrainDriftPsiThreshold), "Drift reason: PSI at or above this ...", NumIn(0, 10, lowOpen: true)),
        Row("monitoring.retrain.drift_min_features", nameof(PipelineConfig.RetrainDriftMinFeatures), "... on at least this many features at once.", IntIn(1, 1_000)),
        Row("monitoring.retrain.decay_ic_threshold", nameof(PipelineConfig.RetrainDecayIcThreshold), "Decay reason: the rolling IC below this ...", NumIn(-1, 1)),
        Row("monitoring.retrain.decay_sessions", nameof(PipelineConfig.RetrainDecaySessions), "... for at least this many consecutive sessions.", IntIn(1, 10_000)),
        Row("monitoring.retrain.on_change_point", nameof(PipelineConfig.RetrainOnChangePoint), "Change-point reason: retrain when CUSUM on the daily IC alarms.", null),
        Row("compute.backend", nameof(PipelineConfig.ComputeBackend), "auto | managed | native | gpu.", OneOf([.. ComputeBackends.Names])),
        Row("schedule.exchange", nameof(PipelineConfig.Exchange), "Exchange calendar by ISO MIC.", OneOf([.. ExchangeCalendars.Names])),
        Row("runs.retry_attempts", nameof(PipelineConfig.RetryAttempts), "Attempts for a stage that fails with a transient error.", IntIn(1, 100)),
        Row("runs.retry_base_delay_ms", nameof(PipelineConfig.RetryBaseDelayMs), "First backoff delay in milliseconds; each further attempt doubles it.", IntIn(0, 600_000)),
    ];

    private static readonly Dictionary<string, ConfigSetting> ByPath = Settings
        .SelectMany(s => s.Aliases.Prepend(s.Key).Select(path => (path, s)))
        .ToDictionary(x => x.path, x => x.s, StringComparer.Ordinal);

    /// <summary>Rules between settings: the keys involved (the first one is blamed) and the check.</summary>
    private static readonly (string[] Keys, Func<PipelineConfig, string?> Check)[] Rules =
    [
        (["monitoring.decay_history_sessions", "monitoring.rolling_window_sessions"], c => c.MonitoringDecayHistorySessions < c.MonitoringRollingWindowSessions
            ? $"monitoring.decay_history_sessions ({c.MonitoringDecayHistorySessions}) must be at least monitoring.rolling_window_sessions ({c.MonitoringRollingWindowSessions})"
            : null),
        (["monitoring.psi_warn", "monitoring.psi_alert"], c => c.MonitoringPsiWarn > c.MonitoringPsiAlert
            ? string.Create(CultureInfo.InvariantCulture, $"monitoring.psi_warn ({c.MonitoringPsiWarn}) must not exceed monitoring.psi_alert ({c.MonitoringPsiAlert})")
            : null),
        (["monitoring.missing_rate_change_warn", "monitoring.missing_rate_change_alert"], c => c.MonitoringMissingRateChangeWarn > c.MonitoringMissingRateChangeAlert
            ? string.Create(CultureInfo.InvariantCulture, $"monitoring.missing_rate_change_warn ({c.MonitoringMissingRateChangeWarn}) must not exceed monitoring.missing_rate_change_alert ({c.MonitoringMissingRateChangeAlert})")
            : null),
        .. ComponentRules.All,
    ];

    /// <summary>Every accepted path (keys and aliases).</summary>
    public static IEnumerable<string> Paths => ByPath.Keys;

    /// <summary>The setting a key or alias names, or null.</summary>
    public static ConfigSetting? Find(string path) => ByPath.GetValueOrDefault(path);

    public static ConfigSetting Get(string key) => Find(key) ?? throw new KeyNotFoundException($"No setting '{key}'.");

    /// <summary>True when <paramref name="path"/> is a section: some accepted path lies below it.</summary>
    public static bool IsSection(string path) => ByPath.Keys.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal));

    /// <summary>Every range or rule a configuration breaks, each with the setting it is about (the first, for rules).</summary>
    public static IReadOnlyList<(ConfigSetting Setting, string Message)> Problems(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<(ConfigSetting, string)>();
        foreach (var setting in Settings)
        {
            if (setting.Check(config) is { } problem)
            {
                problems.Add((setting, problem));
            }
        }

        foreach (var (keys, check) in Rules)
        {
            if (check(config) is { } problem)
            {
                problems.Add((Get(keys[0]), problem));
            }
        }

        return problems;
    }

    /// <summary>The accepted path closest to a misspelt one, or null when none is close.</summary>
    public static string? Suggest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var leaf = path[(path.LastIndexOf('.') + 1)..];
        var best = Settings
            .SelectMany(s => s.Aliases.Prepend(s.Key).Select(p => (Path: p, Setting: s)))
            .Select(c => (c.Setting, Score: Math.Min(
                EditDistance.Levenshtein(path, c.Path),
                EditDistance.Levenshtein(leaf, c.Path[(c.Path.LastIndexOf('.') + 1)..]))))
            .OrderBy(c => c.Score)
            .FirstOrDefault();
        return best.Setting is not null && best.Score <= Math.Max(2, leaf.Length / 3) ? best.Setting.Key : null;
    }

    /// <summary>The section closest to a misspelt section name, or null when none is close.</summary>
    public static string? SuggestSection(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var best = Paths
            .Where(p => p.Contains('.', StringComparison.Ordinal))
            .Select(p => p[..p.LastIndexOf('.')])
            .Distinct(StringComparer.Ordinal)
            .Select(section => (Section: section, Score: EditDistance.Levenshtein(path, section)))
            .OrderBy(c => c.Score)
            .FirstOrDefault();
        return best.Section is not null && best.Score <= Math.Max(2, path.Length / 3) ? best.Section : null;
    }

    private static ConfigSetting Row(string key, string property, string description, Func<object?, string?>? check, params string[] aliases) =>
        new(key, property, description, check, aliases);

    private static string? FeatureSetCheck(object? value)
    {
        var name = (string)value!;
        return ComponentRegistry.FeatureSets.Contains(name) || ComponentRegistry.IsFeatureSetFile(name)
            ? null
            : $"must be one of {string.Join(", ", ComponentRegistry.FeatureSets.Names)} or a path to a .yaml feature-set file";
    }

    private static string? NotBlank(object? value) => string.IsNullOrWhiteSpace((string?)value) ? "must not be empty" : null;

    private static string? Finite(object? value) => double.IsFinite((double)value!) ? null : "must be a finite number";

    private static Func<object?, string?> IntIn(int min, int max) =>
        value => (int)value! < min || (int)value > max ? string.Create(CultureInfo.InvariantCulture, $"must be in [{min}, {max}]") : null;

    private static Func<object?, string?> NumIn(double min, double max, string? wording = null, bool lowOpen = false) =>
        value =>
        {
            var x = (double)value!;
            var outside = !double.IsFinite(x) || x > max || (lowOpen ? x <= min : x < min);
            var range = string.Create(CultureInfo.InvariantCulture, $"{(lowOpen ? "(" : "[")}{min}, {max}]");
            return outside ? wording ?? $"must be in {range}" : null;
        };

    private static Func<object?, string?> OneOf(params string[] names) =>
        value => names.Contains((string)value!, StringComparer.Ordinal) ? null : $"must be one of {string.Join(", ", names)}";

    private static string? Layers(object? value)
    {
        var layers = (IReadOnlyList<int>)value!;
        return layers.Count is < 1 or > 8 || layers.Any(w => w is < 1 or > 4096)
            ? "must list 1 to 8 layer widths, each in [1, 4096]"
            : null;
    }

    private static string? RegistryUriCheck(object? value)
    {
        var uri = (string)value!;
        if (string.IsNullOrWhiteSpace(uri))
        {
            return "must not be empty";
        }

        try
        {
            RegistryUri.Parse(uri, Path.GetTempPath());
            return null;
        }
        catch (FormatException e)
        {
            return "is not usable: " + e.Message.TrimEnd('.');
        }
    }
}
