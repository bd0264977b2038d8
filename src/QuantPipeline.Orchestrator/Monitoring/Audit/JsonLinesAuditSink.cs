using System.Text.Json;
using System.Text.Json.Nodes;
using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Monitoring.Audit;

/// <summary>Audit trail as a JSON-lines file: {"type", "timestamp_utc", "payload"} per line, appended and flushed to disk.</summary>
public sealed class JsonLinesAuditSink(string path) : IAuditSink
{
    private static readonly Lock Gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Append(AuditEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = new JsonObject
        {
            ["type"] = entry.Type,
            ["timestamp_utc"] = entry.TimestampUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["payload"] = JsonNode.Parse(entry.PayloadJson),
        };
        JsonLines.Append(Path, line.ToJsonString(), Gate);
    }

    public static IReadOnlyList<AuditEvent> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<AuditEvent>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            entries.Add(new AuditEvent(
                root.GetProperty("type").GetString()!,
                DateTime.Parse(root.GetProperty("timestamp_utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind),
                root.GetProperty("payload").GetRawText()));
        }

        return entries;
    }
}
