using QuantPipeline.Core.Compute;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// Configuration of the production pipeline. The first eight fields are those of the original
/// specification, with its names (snake_case in files) and defaults.
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

    /// <summary>Checks ranges and names; throws with every problem listed.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelName))
        {
            problems.Add("model_name must not be empty");
        }

        if (TrainingWindowDays < 20)
        {
            problems.Add($"training_window_days must be at least 20, got {TrainingWindowDays}");
        }

        if (ValidationWindowDays < 20)
        {
            problems.Add($"validation_window_days must be at least 20, got {ValidationWindowDays}");
        }

        if (RetrainingFrequency is not ("daily" or "weekly" or "monthly" or "quarterly"))
        {
            problems.Add($"retraining_frequency must be daily, weekly, monthly or quarterly, got '{RetrainingFrequency}'");
        }

        if (MaxDrawdownThreshold is > 0 or < -1)
        {
            problems.Add($"max_drawdown_threshold is a negative fraction in [-1, 0] (e.g. -0.15), got {MaxDrawdownThreshold}");
        }

        if (!ComputeBackends.Names.Contains(ComputeBackend))
        {
            problems.Add($"compute_backend must be one of {string.Join(", ", ComputeBackends.Names)}, got '{ComputeBackend}'");
        }

        if (BacktestQuantile is <= 0 or > 0.5)
        {
            problems.Add($"backtest_quantile must be in (0, 0.5], got {BacktestQuantile}");
        }

        if (MinDeflatedSharpe is < 0 or > 1)
        {
            problems.Add($"min_deflated_sharpe is a probability in [0, 1], got {MinDeflatedSharpe}");
        }

        if (MinRankIc is < -1 or > 1)
        {
            problems.Add($"min_rank_ic is a correlation in [-1, 1], got {MinRankIc}");
        }

        if (MaxTurnover is < 0)
        {
            problems.Add($"max_turnover must not be negative, got {MaxTurnover}");
        }

        if (RetryAttempts is < 1 or > 100)
        {
            problems.Add($"retry_attempts must be in [1, 100], got {RetryAttempts}");
        }

        if (RetryBaseDelayMs is < 0 or > 600_000)
        {
            problems.Add($"retry_base_delay_ms must be in [0, 600000], got {RetryBaseDelayMs}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid pipeline configuration: " + string.Join("; ", problems) + ".");
        }
    }
}
