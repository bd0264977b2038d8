using QuantPipeline.Storage.Audit;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// Configuration of the production pipeline. The first eight fields are those of the original
/// specification, with its names and defaults, at the top level of the YAML file; the file's sections
/// (training, monitoring, …) map onto the others through <see cref="PipelineConfigSchema"/>. The JSON names
/// are the flat form stored (and hashed) in each version's lineage.
/// </summary>
public sealed record PipelineConfig
{
    [JsonPropertyName("model_name")]
    public string ModelName { get; init; } = "qp_mlp_daily";

    [JsonPropertyName("universe")]
    public string Universe { get; init; } = "all";

    /// <summary>Training window in trading sessions (756 = three years).</summary>
    [JsonPropertyName("training_window_days")]
    public int TrainingWindowDays { get; init; } = 756;

    /// <summary>Validation window in trading sessions (252 = one year).</summary>
    [JsonPropertyName("validation_window_days")]
    public int ValidationWindowDays { get; init; } = 252;

    [JsonPropertyName("retraining_frequency")]
    public string RetrainingFrequency { get; init; } = "monthly";

    /// <summary>The gate passes only when the validation Sharpe is at least this.</summary>
    [JsonPropertyName("min_sharpe_threshold")]
    public double MinSharpeThreshold { get; init; } = 0.5;

    /// <summary>The gate passes only when the validation max drawdown (a negative fraction) is at least this.</summary>
    [JsonPropertyName("max_drawdown_threshold")]
    public double MaxDrawdownThreshold { get; init; } = -0.15;

    /// <summary>MLflow-style URI: sqlite:///relative.db (three slashes) or sqlite:////absolute.db (four).</summary>
    [JsonPropertyName("model_registry_uri")]
    public string ModelRegistryUri { get; init; } = "sqlite:///models.db";

    [JsonPropertyName("market_store_path")]
    public string MarketStorePath { get; init; } = "data/market.duckdb";

    /// <summary>auto | managed | native | gpu: which backend runs the compute kernels.</summary>
    [JsonPropertyName("compute_backend")]
    public string ComputeBackend { get; init; } = "native";

    [JsonPropertyName("seed")]
    public int Seed { get; init; } = 7;

    [JsonPropertyName("training_epochs")]
    public int TrainingEpochs { get; init; } = 8;

    [JsonPropertyName("backtest_quantile")]
    public double BacktestQuantile { get; init; } = 0.1;

    [JsonPropertyName("backtest_cost_bps")]
    public double BacktestCostBps { get; init; } = 5.0;

    /// <summary>Optional gate rule: the deflated Sharpe ratio (a probability) must be at least this.</summary>
    [JsonPropertyName("min_deflated_sharpe")]
    public double? MinDeflatedSharpe { get; init; }

    /// <summary>Optional gate rule: the mean Rank IC of the validation predictions must be at least this.</summary>
    [JsonPropertyName("min_rank_ic")]
    public double? MinRankIc { get; init; }

    /// <summary>Optional gate rule: the mean turnover Σ|Δw| per bar must be at most this.</summary>
    [JsonPropertyName("max_turnover")]
    public double? MaxTurnover { get; init; }

    /// <summary>Exchange calendar of the schedule and of session arithmetic (XNYS, XLON, …).</summary>
    [JsonPropertyName("exchange")]
    public string Exchange { get; init; } = "XNYS";

    /// <summary>Attempts for a stage that fails with a transient error (a locked database, say), with exponential backoff.</summary>
    [JsonPropertyName("retry_attempts")]
    public int RetryAttempts { get; init; } = 5;

    /// <summary>First backoff delay in milliseconds; each further attempt doubles it.</summary>
    [JsonPropertyName("retry_base_delay_ms")]
    public int RetryBaseDelayMs { get; init; } = 200;

    /// <summary>Hidden layer widths of the MLP the pipeline trains, input side first.</summary>
    [JsonPropertyName("hidden_layers")]
    public IReadOnlyList<int> HiddenLayers { get; init; } = [64, 32];

    [JsonPropertyName("training_batch_size")]
    public int TrainingBatchSize { get; init; } = 1024;

    /// <summary>Adam's step size.</summary>
    [JsonPropertyName("training_learning_rate")]
    public double TrainingLearningRate { get; init; } = 1e-3;

    /// <summary>Adam's L2 penalty on the weights.</summary>
    [JsonPropertyName("training_weight_decay")]
    public double TrainingWeightDecay { get; init; }

    /// <summary>Each feature is z-scored across symbols and clipped at ± this before it enters the model.</summary>
    [JsonPropertyName("feature_zscore_clip")]
    public double FeatureZScoreClip { get; init; } = 5.0;

    /// <summary>The training target is the next-session return, cross-sectionally z-scored and clipped at ± this.</summary>
    [JsonPropertyName("label_zscore_clip")]
    public double LabelZScoreClip { get; init; } = 3.0;

    [JsonPropertyName("monitoring_drift_window_sessions")]
    public int MonitoringDriftWindowSessions { get; init; } = 21;

    [JsonPropertyName("monitoring_decay_history_sessions")]
    public int MonitoringDecayHistorySessions { get; init; } = 63;

    [JsonPropertyName("monitoring_rolling_window_sessions")]
    public int MonitoringRollingWindowSessions { get; init; } = 21;

    [JsonPropertyName("monitoring_min_rolling_ic")]
    public double MonitoringMinRollingIc { get; init; }

    [JsonPropertyName("monitoring_min_rolling_sharpe")]
    public double MonitoringMinRollingSharpe { get; init; }

    [JsonPropertyName("monitoring_cusum_slack_sigmas")]
    public double MonitoringCusumSlackSigmas { get; init; } = 0.5;

    [JsonPropertyName("monitoring_cusum_threshold_sigmas")]
    public double MonitoringCusumThresholdSigmas { get; init; } = 8.0;

    [JsonPropertyName("monitoring_page_hinkley_delta_sigmas")]
    public double MonitoringPageHinkleyDeltaSigmas { get; init; } = 0.5;

    [JsonPropertyName("monitoring_page_hinkley_lambda_sigmas")]
    public double MonitoringPageHinkleyLambdaSigmas { get; init; } = 8.0;

    [JsonPropertyName("monitoring_psi_warn")]
    public double MonitoringPsiWarn { get; init; } = 0.1;

    [JsonPropertyName("monitoring_psi_alert")]
    public double MonitoringPsiAlert { get; init; } = 0.2;

    [JsonPropertyName("monitoring_missing_rate_change_warn")]
    public double MonitoringMissingRateChangeWarn { get; init; } = 0.05;

    [JsonPropertyName("monitoring_missing_rate_change_alert")]
    public double MonitoringMissingRateChangeAlert { get; init; } = 0.2;

    [JsonPropertyName("monitoring_max_nan_share")]
    public double MonitoringMaxNanShare { get; init; } = 0.2;

    [JsonPropertyName("monitoring_max_abs_return")]
    public double MonitoringMaxAbsReturn { get; init; } = 0.4;

    [JsonPropertyName("monitoring_max_universe_shrink")]
    public double MonitoringMaxUniverseShrink { get; init; } = 0.1;

    [JsonPropertyName("monitoring_retrain_drift_psi_threshold")]
    public double RetrainDriftPsiThreshold { get; init; } = 0.2;

    [JsonPropertyName("monitoring_retrain_drift_min_features")]
    public int RetrainDriftMinFeatures { get; init; } = 2;

    [JsonPropertyName("monitoring_retrain_decay_ic_threshold")]
    public double RetrainDecayIcThreshold { get; init; }

    [JsonPropertyName("monitoring_retrain_decay_sessions")]
    public int RetrainDecaySessions { get; init; } = 10;

    [JsonPropertyName("monitoring_retrain_on_change_point")]
    public bool RetrainOnChangePoint { get; init; }

    // The components (issue 17). Each is named in ComponentRegistry; a value equal to its default is left out of the
    // canonical JSON (see ComponentSettings), so configurations written before these settings existed keep their hash.

    /// <summary>skeleton6 (the built-in six), alpha158, alpha360, f8, or a path to a feature-set YAML file.</summary>
    [JsonPropertyName("features_set")]
    public string FeatureSet { get; init; } = "skeleton6";

    /// <summary>Cross-sectional processing of each feature: cs_zscore, cs_rank, robust_zscore or none.</summary>
    [JsonPropertyName("features_transform")]
    public string FeatureTransform { get; init; } = "cs_zscore";

    [JsonPropertyName("labels_kind")]
    public string LabelKind { get; init; } = "forward_return";

    /// <summary>Bars between the session a label is observed at and the end of its return.</summary>
    [JsonPropertyName("labels_horizon")]
    public int LabelHorizon { get; init; } = 1;

    [JsonPropertyName("model_kind")]
    public string ModelKind { get; init; } = "mlp";

    /// <summary>Hidden state of GRU/LSTM, width of the transformer.</summary>
    [JsonPropertyName("model_hidden_size")]
    public int ModelHiddenSize { get; init; } = 32;

    [JsonPropertyName("model_num_layers")]
    public int ModelNumLayers { get; init; } = 1;

    [JsonPropertyName("model_dropout")]
    public double ModelDropout { get; init; }

    /// <summary>Past bars per sample (the current one included) for gru, lstm and transformer.</summary>
    [JsonPropertyName("model_sequence_length")]
    public int ModelSequenceLength { get; init; } = 1;

    [JsonPropertyName("model_heads")]
    public int ModelHeads { get; init; } = 2;

    [JsonPropertyName("model_ridge_alpha")]
    public double ModelRidgeAlpha { get; init; } = 1.0;

    [JsonPropertyName("model_num_leaves")]
    public int ModelNumLeaves { get; init; } = 63;

    [JsonPropertyName("model_boosting_learning_rate")]
    public double ModelBoostingLearningRate { get; init; } = 0.05;

    [JsonPropertyName("model_num_rounds")]
    public int ModelNumRounds { get; init; } = 200;

    /// <summary>LightGBM stops when the last tenth of the training window has not improved for this many rounds; 0 turns it off.</summary>
    [JsonPropertyName("model_early_stopping_rounds")]
    public int ModelEarlyStoppingRounds { get; init; } = 20;

    [JsonPropertyName("training_device")]
    public string TrainingDevice { get; init; } = "cpu";

    [JsonPropertyName("validation_scheme")]
    public string ValidationScheme { get; init; } = "walk_forward";

    [JsonPropertyName("validation_folds")]
    public int ValidationFolds { get; init; } = 5;

    [JsonPropertyName("validation_test_folds")]
    public int ValidationTestFolds { get; init; } = 2;

    [JsonPropertyName("validation_embargo_sessions")]
    public int ValidationEmbargoSessions { get; init; }

    /// <summary>Checks every setting's range and the rules between settings; throws with every problem listed.</summary>
    public void Validate()
    {
        var problems = PipelineConfigSchema.Problems(this);
        if (problems.Count > 0)
        {
            // A plain ArgumentException: a configuration built in code has no file position to report.
            throw new ArgumentException(ConfigurationException.Describe([.. problems.Select(p => new ConfigProblem(null, p.Message))]));
        }
    }

    /// <summary>Two configurations are equal when their canonical forms are: the hidden layers compare by value.</summary>
    public bool Equals(PipelineConfig? other) =>
        other is not null && string.Equals(CanonicalJson.Serialize(this), CanonicalJson.Serialize(other), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(CanonicalJson.Serialize(this));
}
