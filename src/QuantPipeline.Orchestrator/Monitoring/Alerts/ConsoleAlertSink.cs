using System.Globalization;

namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

/// <summary>One human-readable line per alert on a text writer (standard error by default, so JSON output on standard output stays clean).</summary>
public sealed class ConsoleAlertSink(TextWriter? writer = null) : IAlertSink
{
    private readonly TextWriter _writer = writer ?? Console.Error;

    public string Name => "console";

    public Task SendAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _writer.WriteLine(Format(alert));
        return Task.CompletedTask;
    }

    public static string Format(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return string.Create(CultureInfo.InvariantCulture, $"[{alert.Severity.ToString().ToUpperInvariant()}] {alert.AsOf:yyyy-MM-dd} {alert.ModelName} {alert.Kind} {alert.Subject}: {alert.Message}");
    }
}
