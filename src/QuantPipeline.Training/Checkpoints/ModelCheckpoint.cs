using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Training;

namespace QuantPipeline.Training.Checkpoints;

/// <summary>
/// A checkpoint is a folder with the weights (TorchSharp format) and model-card.json, which
/// records the weights' SHA-256. Loading verifies the hash, the feature set and the architecture
/// before any weight is used.
/// </summary>
public static class ModelCheckpoint
{
    public const string WeightsFile = "weights.bin";
    public const string CardFile = "model-card.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes the checkpoint and returns the card as saved (with the weights' SHA-256).</summary>
    public static ModelCard Save(TrainedModel trained, string directory)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var weightsPath = Path.Combine(directory, WeightsFile);
        trained.Model.save(weightsPath);
        var card = trained.Card with { WeightsSha256 = Sha256(weightsPath) };
        File.WriteAllText(Path.Combine(directory, CardFile), JsonSerializer.Serialize(card, Json));
        return card;
    }

    /// <summary>Reads only the card (for listing and auditing).</summary>
    public static ModelCard ReadCard(string directory)
    {
        var cardPath = Path.Combine(directory, CardFile);
        if (!File.Exists(cardPath))
        {
            throw new CheckpointException($"{cardPath} does not exist: '{directory}' is not a checkpoint folder (it needs {CardFile} and {WeightsFile}).");
        }

        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(cardPath), Json)
                ?? throw new CheckpointException($"{cardPath} is empty; the checkpoint is incomplete. Retrain or restore it.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{cardPath} is not a valid model card (line {e.LineNumber + 1}, {e.Path}): {e.Message} Retrain or restore the checkpoint.", e);
        }
    }

    /// <summary>
    /// Loads a checkpoint for use with the given feature set (and, if given, feature names in order).
    /// Refuses it with a <see cref="CheckpointException"/> when anything does not match.
    /// </summary>
    public static TrainedModel Load(string directory, string expectedFeatureSetVersion, IReadOnlyList<string>? expectedFeatures = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedFeatureSetVersion);
        var card = ReadCard(directory);
        if (card.Format != ModelCard.CurrentFormat)
        {
            throw new CheckpointException($"{Path.Combine(directory, CardFile)} has format {card.Format}; this version reads format {ModelCard.CurrentFormat}. Retrain the model.");
        }

        if (!string.Equals(card.FeatureSetVersion, expectedFeatureSetVersion, StringComparison.Ordinal))
        {
            throw new CheckpointException($"Checkpoint '{directory}' was trained on feature set '{card.FeatureSetVersion}', not '{expectedFeatureSetVersion}'. Retrain on the current feature set or compute the features it expects.");
        }

        if (expectedFeatures is not null && !expectedFeatures.SequenceEqual(card.FeatureNames, StringComparer.Ordinal))
        {
            throw new CheckpointException($"Checkpoint '{directory}' expects features [{string.Join(", ", card.FeatureNames)}] but [{string.Join(", ", expectedFeatures)}] were given.");
        }

        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weightsPath))
        {
            throw new CheckpointException($"{weightsPath} is missing; the checkpoint is incomplete. Retrain or restore it.");
        }

        var actual = Sha256(weightsPath);
        if (!string.Equals(actual, card.WeightsSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new CheckpointException($"{weightsPath} has SHA-256 {actual} but its model card records {card.WeightsSha256 ?? "none"}: the weights are corrupt or were replaced. Restore the checkpoint or retrain.");
        }

        var model = ModelFactory.Create(card.Architecture, card.FeatureNames.Count);
        try
        {
            model.load(weightsPath, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException)
        {
            model.Dispose();
            throw new CheckpointException(
                $"{weightsPath} does not fit the architecture in its model card ({Describe(card.Architecture)}, {card.FeatureNames.Count} features): {e.Message} The card or the weights were changed; restore the checkpoint or retrain.", e);
        }

        model.eval();
        return new TrainedModel(model, card);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Describe(ModelSpec spec) => spec.Kind switch
    {
        ModelKind.Mlp => $"MLP hidden [{string.Join(", ", spec.Hidden)}]",
        ModelKind.Ridge => "ridge",
        _ => $"{spec.Kind} hidden {spec.HiddenSize}, {spec.Layers} layer(s), sequence {spec.SequenceLength}",
    };
}
