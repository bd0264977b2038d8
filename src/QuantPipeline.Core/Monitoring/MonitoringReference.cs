using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantPipeline.Core.Monitoring;

/// <summary>Validation-period figures of a model that live monitoring compares against.</summary>
/// <param name="DailyIc">Cross-sectional IC per validation session (NaN where a session had too few symbols).</param>
public sealed record ValidationFigures(
    string From,
    string To,
    double IcMean,
    double IcStd,
    double RankIcMean,
    double Sharpe,
    double[] DailyIc);

/// <summary>
/// The monitoring reference stored with a model version: per-feature reference distributions over the training
/// window, the prediction distribution over the validation window, and the validation IC and Sharpe.
/// Written as JSON next to the model artifact.
/// </summary>
public sealed record MonitoringReference(
    int FormatVersion,
    string ModelName,
    string AsOf,
    string TrainingRange,
    IReadOnlyList<FeatureReference> Features,
    FeatureReference Prediction,
    ValidationFigures Validation)
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        // An IC over a degenerate validation window can be NaN; keep it rather than fail the registration.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MonitoringReference FromJson(string json, string source)
    {
        MonitoringReference? reference;
        try
        {
            reference = JsonSerializer.Deserialize<MonitoringReference>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Monitoring reference '{source}' is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message} Re-run training to write it again.", e);
        }

        if (reference is null || reference.Features is null || reference.Prediction is null || reference.Validation is null)
        {
            throw new InvalidDataException($"Monitoring reference '{source}' lacks features, prediction or validation figures. Re-run training to write it again.");
        }

        if (reference.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidDataException($"Monitoring reference '{source}' has format version {reference.FormatVersion}; this build reads version {CurrentFormatVersion}.");
        }

        return reference;
    }

    public static MonitoringReference Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Monitoring reference '{path}' does not exist; the model version was registered without one. Retrain to create it.", path);
        }

        return FromJson(File.ReadAllText(path), path);
    }
}
