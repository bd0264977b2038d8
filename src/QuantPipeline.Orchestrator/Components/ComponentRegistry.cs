using QuantPipeline.Core.Features.Library;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>Where a label's return starts and ends, in bars after the session it is observed at.</summary>
/// <param name="StartOffset">0: from the session's close; 1: from the next session's close (Qlib's label, tradable at the next close).</param>
public sealed record LabelDefinition(int StartOffset);

/// <summary>How the pipeline cross-validates a model before the gate.</summary>
public enum ValidationSchemeKind
{
    WalkForward,
    PurgedKFold,
    CombinatorialPurgedCv,
}

/// <summary>A model the pipeline can train: a TorchSharp architecture of the training library, or LightGBM.</summary>
/// <param name="Torch">The training library's kind, or null for LightGBM.</param>
public sealed record ModelChoice(ModelKind? Torch)
{
    public bool IsLightGbm => Torch is null;

    public bool ReadsSequences => Torch is ModelKind.Gru or ModelKind.Lstm or ModelKind.Transformer;
}

/// <summary>
/// Every component the pipeline can be assembled from, by name and kind. The configuration schema's valid values, the
/// README's list and the pipeline's factories all read these tables, so a component exists in all of them or in none.
/// </summary>
public static class ComponentRegistry
{
    /// <summary>The built-in six features (<c>ModelInputs.Definitions</c>), the default.</summary>
    public const string Skeleton6 = "skeleton6";

    public static ComponentCatalog<Func<FeatureSet>> FeatureSets { get; } = new(ComponentKind.FeatureSet, "features.set",
    [
        new(Skeleton6, "1", "The six built-in features: 1- and 5-session returns, 10/20-session moving-average ratios, 20-session volatility and volume z-score.", () => new FeatureSet(Skeleton6, ModelInputs.Definitions)),
        new(Alpha158.Name, "1", "Qlib's Alpha158: k-bar, price and rolling features over 5..60 sessions (VWAP0 needs a stored vwap).", Alpha158.Create),
        new(Alpha360.Name, "1", "Qlib's Alpha360: 60 sessions of close/open/high/low/vwap/volume, each divided by today's close (volume).", Alpha360.Create),
        new(IntradayF8Set.Name, "1", "The F8 set: returns, 30-bar means, volatility, z-scores, EWMA, extremes, cross-sectional rank, RSI.", IntradayF8Set.Create),
    ]);

    public static ComponentCatalog<FeatureNormalisation> Transforms { get; } = new(ComponentKind.Transform, "features.transform",
    [
        new("cs_zscore", "1", "Per session: (x - mean) / std across the universe, clipped at +/- features.zscore_clip.", FeatureNormalisation.CrossSectionalZScore),
        new("cs_rank", "1", "Per session: rank across the universe scaled to [-1, 1].", FeatureNormalisation.CrossSectionalRank),
        new("robust_zscore", "1", "(x - median) / (1.4826 MAD), median and MAD fitted per feature on the training window only and stored with the model; clipped.", FeatureNormalisation.RobustZScore),
        new("none", "1", "The raw feature values.", FeatureNormalisation.None),
    ]);

    public static ComponentCatalog<LabelDefinition> Labels { get; } = new(ComponentKind.Label, "labels.kind",
    [
        new("forward_return", "1", "close[t + h] / close[t] - 1, z-scored across symbols and clipped at labels.zscore_clip.", new LabelDefinition(0)),
        new("qlib", "1", "Qlib's label close[t + 1 + h] / close[t + 1] - 1 (the return from the next close, when a signal can trade), z-scored and clipped.", new LabelDefinition(1)),
    ]);

    public static ComponentCatalog<ModelChoice> Models { get; } = new(ComponentKind.Model, "model.kind",
    [
        new("mlp", "1", "Feed-forward network, model.hidden_layers wide, trained with Adam.", new ModelChoice(ModelKind.Mlp)),
        new("ridge", "1", "Linear model in closed form with penalty model.ridge_alpha (intercept not penalised).", new ModelChoice(ModelKind.Ridge)),
        new("gru", "1", "GRU over the last model.sequence_length sessions (model.hidden_size, model.num_layers, model.dropout).", new ModelChoice(ModelKind.Gru)),
        new("lstm", "1", "LSTM over the last model.sequence_length sessions.", new ModelChoice(ModelKind.Lstm)),
        new("transformer", "1", "Transformer encoder over the last model.sequence_length sessions (model.heads must divide model.hidden_size).", new ModelChoice(ModelKind.Transformer)),
        new("lightgbm", "lightgbm-4.7.0", "Gradient-boosted trees from the native LightGBM library (model.num_leaves, model.boosting_learning_rate, model.num_rounds, model.early_stopping_rounds).", new ModelChoice((ModelKind?)null)),
    ]);

    public static ComponentCatalog<ValidationSchemeKind> ValidationSchemes { get; } = new(ComponentKind.ValidationScheme, "validation.scheme",
    [
        new("walk_forward", "1", "Train on training_window_days, validate on the validation_window_days after them (purged by the label horizon).", ValidationSchemeKind.WalkForward),
        new("purged_kfold", "1", "validation.folds contiguous folds over both windows, each tested by a model trained on the others, purged and embargoed.", ValidationSchemeKind.PurgedKFold),
        new("cpcv", "1", "Combinatorial purged CV: every choice of validation.test_folds of validation.folds groups, joined into backtest paths.", ValidationSchemeKind.CombinatorialPurgedCv),
    ]);

    /// <summary>True when a features.set value names a feature-set YAML file rather than a registered set.</summary>
    public static bool IsFeatureSetFile(string value) =>
        value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
