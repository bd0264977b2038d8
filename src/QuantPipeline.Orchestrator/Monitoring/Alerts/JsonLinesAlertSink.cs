using System.Text;

namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

/// <summary>Appends each alert as one JSON object per line; the line is written with a single append so readers never see half of one.</summary>
public sealed class JsonLinesAlertSink(string path) : IAlertSink
{
    private static readonly Lock Gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Name => "jsonl";

    public Task SendAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        JsonLines.Append(Path, alert.ToJson(), Gate);
        return Task.CompletedTask;
    }

    public static IReadOnlyList<Alert> Read(string path) =>
        File.Exists(path) ? [.. File.ReadLines(path).Where(l => l.Length > 0).Select(Alert.FromJson)] : [];
}

internal static class JsonLines
{
    public static void Append(string path, string json, Lock gate)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        lock (gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
        }
    }
}
