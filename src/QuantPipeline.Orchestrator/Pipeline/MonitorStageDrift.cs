using System.Globalization;
using System.Text.Json;
using QuantPipeline.Storage.Audit;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// What a run's monitor stage found for the version it registered: drift of each feature and of the predictions over
/// the trailing window <see cref="WindowFrom"/>..<see cref="WindowTo"/> against the version's training reference.
/// Recorded in the audit trail (<see cref="AuditAction"/>) so that it can be read back by version, as the backfill
/// report does for each retrain.
/// </summary>
public sealed record MonitorStageDrift(
    string ModelName,
    int Version,
    DateOnly AsOf,
    DateOnly WindowFrom,
    DateOnly WindowTo,
    IReadOnlyList<FeatureDrift> Figures)
{
    public const string AuditAction = "monitor.drift";

    public void AppendTo(AuditLog audit, string runId)
    {
        ArgumentNullException.ThrowIfNull(audit);
        audit.Append(AuditAction, new
        {
            run_id = runId,
            model = ModelName,
            version = Version,
            as_of = Day(AsOf),
            window_from = Day(WindowFrom),
            window_to = Day(WindowTo),
            figures = Figures.Select(f => new
            {
                name = f.Feature,
                psi = Finite(f.Psi),
                level = f.Level,
                ks_statistic = Finite(f.KsStatistic),
                ks_p_value = Finite(f.KsPValue),
                js_distance = Finite(f.JsDistance),
                missing_rate_change = Finite(f.MissingRateChange),
            }),
        });
    }

    /// <summary>The latest recorded figures of each version of <paramref name="modelName"/>, by version number.</summary>
    public static IReadOnlyDictionary<int, MonitorStageDrift> ReadLatest(AuditLog audit, string modelName)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var latest = new Dictionary<int, MonitorStageDrift>();
        foreach (var entry in audit.Read().Where(e => e.Action == AuditAction))
        {
            using var document = JsonDocument.Parse(entry.PayloadJson);
            var root = document.RootElement;
            if (root.GetProperty("model").GetString() != modelName)
            {
                continue;
            }

            var figures = root.GetProperty("figures").EnumerateArray().Select(f => new FeatureDrift(f.GetProperty("name").GetString()!, Number(f, "psi"), f.GetProperty("level").GetString()!)
            {
                KsStatistic = Number(f, "ks_statistic"),
                KsPValue = Number(f, "ks_p_value"),
                JsDistance = Number(f, "js_distance"),
                MissingRateChange = Number(f, "missing_rate_change"),
            }).ToList();
            var version = root.GetProperty("version").GetInt32();
            latest[version] = new MonitorStageDrift(modelName, version, Parse(root, "as_of"), Parse(root, "window_from"), Parse(root, "window_to"), figures);
        }

        return latest;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Parse(JsonElement root, string name) => DateOnly.ParseExact(root.GetProperty(name).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The audit trail stores plain JSON numbers: an undefined figure (an empty window) is written as null.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static double Number(JsonElement figure, string name) =>
        figure.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
}
