using System.Globalization;
using System.Text.Json;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// Structured log of runs: one JSON object per line (time, level, run id, event, message and fields) appended to
/// <c>logs/runs.jsonl</c> in the working folder, and a readable line to the console writer when one is given.
/// </summary>
public sealed class RunLog(string workingDirectory, string runId, Action<string>? console = null)
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly Lock _gate = new();

    public string Path { get; } = FileFor(workingDirectory);

    public string RunId { get; } = runId;

    public static string FileFor(string workingDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(workingDirectory), "logs", "runs.jsonl");

    public void Info(string @event, string message, IReadOnlyDictionary<string, object?>? fields = null) => Write("info", @event, message, fields);

    public void Warn(string @event, string message, IReadOnlyDictionary<string, object?>? fields = null) => Write("warn", @event, message, fields);

    public void Error(string @event, string message, IReadOnlyDictionary<string, object?>? fields = null) => Write("error", @event, message, fields);

    private void Write(string level, string @event, string message, IReadOnlyDictionary<string, object?>? fields)
    {
        var at = DateTime.UtcNow;
        var entry = new Dictionary<string, object?>
        {
            ["ts"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["level"] = level,
            ["run_id"] = RunId,
            ["event"] = @event,
            ["message"] = message,
        };
        foreach (var (key, value) in fields ?? new Dictionary<string, object?>())
        {
            entry[key] = value;
        }

        var line = JsonSerializer.Serialize(entry, Json) + "\n";
        lock (_gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            // One write per line on an append-mode file: concurrent runs (a backfill) interleave whole lines.
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var bytes = System.Text.Encoding.UTF8.GetBytes(line);
            stream.Write(bytes);
        }

        console?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss} {level,-5} [{RunId}] {message}"));
    }
}
