using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

[JsonConverter(typeof(JsonStringEnumConverter<AlertSeverity>))]
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>
/// One monitoring finding worth telling someone about.
/// </summary>
/// <param name="Kind">What was checked, dotted: drift.psi, drift.missing_rate, decay.ic, decay.sharpe, decay.change_point, data.stale, data.universe, data.nan_burst, data.price_jump.</param>
/// <param name="Subject">What it was checked on: a feature, "prediction", the model, a field or a symbol.</param>
/// <param name="AsOf">The session the monitoring ran for.</param>
/// <param name="Value">The measured figure, NaN when the finding has none.</param>
/// <param name="Threshold">The bound it crossed, NaN when none.</param>
/// <param name="RaisedUtc">When the alert was raised; deduplication windows are measured on it.</param>
public sealed record Alert(
    AlertSeverity Severity,
    string Kind,
    string Subject,
    string Message,
    DateOnly AsOf,
    double Value,
    double Threshold,
    string ModelName,
    int? ModelVersion,
    DateTime RaisedUtc)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Alerts with the same key are one finding; repeats inside the deduplication window are suppressed.</summary>
    public string DeduplicationKey => $"{ModelName}|{Kind}|{Subject}";

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static Alert FromJson(string json) =>
        JsonSerializer.Deserialize<Alert>(json, Json) ?? throw new InvalidDataException("An alert line held JSON null.");
}
