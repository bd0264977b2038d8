using System.Text.Json;
using System.Text.Json.Nodes;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>
/// Combinations of components that cannot work together, each blaming its first key and naming the valid choices; and
/// the component settings' place in the configuration hash.
/// </summary>
public static class ComponentRules
{
    /// <summary>
    /// The lineage names of the settings added with the components. A value equal to its default is left out of the
    /// canonical JSON, so every configuration written before they existed (all defaults) keeps its hash, and a version
    /// registered then reads back the defaults, which are what it was trained with.
    /// </summary>
    public static IReadOnlySet<string> OmittedWhenDefault { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "features_set", "features_transform", "labels_kind", "labels_horizon", "model_kind", "model_hidden_size",
        "model_num_layers", "model_dropout", "model_sequence_length", "model_heads", "model_ridge_alpha", "model_num_leaves",
        "model_boosting_learning_rate", "model_num_rounds", "model_early_stopping_rounds", "training_device",
        "validation_scheme", "validation_folds", "validation_test_folds", "validation_embargo_sessions",
    };

    private static readonly Lazy<JsonObject> Defaults = new(() => JsonSerializer.SerializeToNode(new PipelineConfig())!.AsObject());

    /// <summary>The configuration's JSON without the component settings that hold their default.</summary>
    public static string WithoutDefaults(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var node = JsonSerializer.SerializeToNode(config)!.AsObject();
        foreach (var name in OmittedWhenDefault)
        {
            if (JsonNode.DeepEquals(node[name], Defaults.Value[name]))
            {
                node.Remove(name);
            }
        }

        return node.ToJsonString();
    }

    /// <summary>
    /// True when every component is the one the pipeline had before components existed: the six features z-scored, the
    /// next-session label, the MLP trainer on the CPU and one walk-forward split. That path runs unchanged, so versions
    /// and stage outputs of such configurations stay what they were.
    /// </summary>
    public static bool IsLegacy(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new PipelineConfig();
        return config.FeatureSet == defaults.FeatureSet && config.FeatureTransform == defaults.FeatureTransform
            && config.LabelKind == defaults.LabelKind && config.LabelHorizon == defaults.LabelHorizon
            && config.ModelKind == defaults.ModelKind && config.TrainingDevice == defaults.TrainingDevice
            && config.ValidationScheme == defaults.ValidationScheme;
    }

    private static readonly string[] SequenceModels = ["gru", "lstm", "transformer"];

    internal static (string[] Keys, Func<PipelineConfig, string?> Check)[] All { get; } =
    [
        (["model.sequence_length", "model.kind"], c => c.ModelSequenceLength > 1 && !SequenceModels.Contains(c.ModelKind, StringComparer.Ordinal)
            ? $"model.sequence_length is {c.ModelSequenceLength}, but model.kind {c.ModelKind} reads one session per sample; use model.sequence_length 1, or a model.kind that reads sequences: {string.Join(", ", SequenceModels)}"
            : null),
        (["model.heads", "model.hidden_size"], c => c.ModelKind == "transformer" && c.ModelHiddenSize % c.ModelHeads != 0
            ? $"model.heads ({c.ModelHeads}) must divide model.hidden_size ({c.ModelHiddenSize}) for model.kind transformer"
            : null),
        (["training.device", "model.kind"], c => c.ModelKind == "lightgbm" && c.TrainingDevice == "cuda"
            ? "training.device cuda cannot train model.kind lightgbm (the bound LightGBM library runs on the CPU); use training.device cpu or auto, or a model.kind of mlp, ridge, gru, lstm, transformer"
            : null),
        (["validation.test_folds", "validation.folds"], c => c.ValidationScheme == "cpcv" && c.ValidationTestFolds >= c.ValidationFolds
            ? $"validation.test_folds ({c.ValidationTestFolds}) must be less than validation.folds ({c.ValidationFolds}) for validation.scheme cpcv"
            : null),
    ];
}
