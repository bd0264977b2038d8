using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>
/// Every component a version was built from, with its version and hyperparameters, and the processors fitted with the
/// model: stored as the version's <see cref="Parameter"/> parameter, so consumers rebuild the model from what was
/// recorded (with the configuration in the lineage), never from today's defaults.
/// </summary>
public sealed record ComponentRecord
{
    public const string Parameter = "components";

    [JsonPropertyName("feature_set")]
    public required string FeatureSet { get; init; }

    [JsonPropertyName("feature_set_version")]
    public required string FeatureSetVersion { get; init; }

    [JsonPropertyName("features")]
    public required IReadOnlyList<string> Features { get; init; }

    [JsonPropertyName("dropped_features")]
    public required IReadOnlyList<string> DroppedFeatures { get; init; }

    [JsonPropertyName("transform")]
    public required string Transform { get; init; }

    [JsonPropertyName("label")]
    public required string Label { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("model_version")]
    public required string ModelVersion { get; init; }

    [JsonPropertyName("hyperparameters")]
    public required IReadOnlyDictionary<string, string> Hyperparameters { get; init; }

    [JsonPropertyName("validation_scheme")]
    public required string ValidationScheme { get; init; }

    [JsonPropertyName("validation_paths")]
    public int ValidationPaths { get; init; }

    [JsonPropertyName("processors")]
    public required ProcessorState Processors { get; init; }

    public static ComponentRecord Of(PipelineConfig config, FeatureData features, TrainingOutcome train, int paths)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(train);
        string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        string I(int x) => x.ToString(CultureInfo.InvariantCulture);
        var choice = ComponentRegistry.Models.Get(config.ModelKind);
        var hyper = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["seed"] = I(config.Seed) };
        if (choice.Value.IsLightGbm)
        {
            hyper["num_leaves"] = I(config.ModelNumLeaves);
            hyper["learning_rate"] = F(config.ModelBoostingLearningRate);
            hyper["num_rounds"] = I(config.ModelNumRounds);
            hyper["early_stopping_rounds"] = I(config.ModelEarlyStoppingRounds);
            hyper["rounds_kept"] = I(train.Rounds);
        }
        else
        {
            var spec = ComponentModel.SpecOf(config);
            hyper["epochs"] = I(config.TrainingEpochs);
            hyper["batch_size"] = I(config.TrainingBatchSize);
            hyper["learning_rate"] = F(config.TrainingLearningRate);
            hyper["weight_decay"] = F(config.TrainingWeightDecay);
            hyper["device"] = train.Curve.Device;
            switch (spec.Kind)
            {
                case Training.Models.ModelKind.Ridge:
                    hyper["ridge_alpha"] = F(spec.RidgeLambda);
                    break;
                case Training.Models.ModelKind.Mlp:
                    hyper["hidden_layers"] = string.Join(",", spec.Hidden);
                    hyper["dropout"] = F(spec.Dropout);
                    break;
                default:
                    hyper["hidden_size"] = I(spec.HiddenSize);
                    hyper["num_layers"] = I(spec.Layers);
                    hyper["dropout"] = F(spec.Dropout);
                    hyper["sequence_length"] = I(spec.SequenceLength);
                    if (spec.Kind == Training.Models.ModelKind.Transformer)
                    {
                        hyper["heads"] = I(spec.Heads);
                    }

                    break;
            }
        }

        return new ComponentRecord
        {
            FeatureSet = config.FeatureSet,
            FeatureSetVersion = features.Version,
            Features = features.Names,
            DroppedFeatures = features.Dropped,
            Transform = config.FeatureTransform,
            Label = PipelineLabels.Id(config),
            Model = config.ModelKind,
            ModelVersion = choice.Version,
            Hyperparameters = hyper,
            ValidationScheme = config.ValidationScheme == "walk_forward"
                ? "walk_forward"
                : FormattableString.Invariant($"{config.ValidationScheme}(folds={config.ValidationFolds}{(config.ValidationScheme == "cpcv" ? $", test_folds={config.ValidationTestFolds}" : string.Empty)}, embargo={config.ValidationEmbargoSessions})"),
            ValidationPaths = paths,
            Processors = train.Processors ?? throw new InvalidOperationException("A component model has no processors recorded."),
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The record a version carries, or null for versions of the default path (and those registered before components existed).</summary>
    public static ComponentRecord? Read(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.TryGetValue(Parameter, out var json)
            ? JsonSerializer.Deserialize<ComponentRecord>(json) ?? throw new InvalidDataException($"The '{Parameter}' parameter is empty.")
            : null;
    }
}
