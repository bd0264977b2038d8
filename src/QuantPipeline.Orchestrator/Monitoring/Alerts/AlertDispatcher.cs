using System.Text.Json;
using QuantPipeline.Orchestrator.Monitoring.Audit;

namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

/// <summary>What happened to one alert.</summary>
/// <param name="Suppressed">True when the same finding was sent inside the deduplication window at the same or a higher severity.</param>
/// <param name="Failed">Sink name → why delivery failed.</param>
public sealed record AlertDelivery(Alert Alert, bool Suppressed, IReadOnlyList<string> Delivered, IReadOnlyDictionary<string, string> Failed);

/// <summary>
/// Sends alerts to every sink once, suppressing a repeat of the same finding (same model, kind and subject)
/// raised within the deduplication window unless its severity went up. Every alert, sent or suppressed, is
/// written to the audit sink with its outcome. The last-sent times can be kept in a state file so repeated
/// monitoring runs deduplicate across processes.
/// </summary>
public sealed class AlertDispatcher
{
    private readonly IReadOnlyList<IAlertSink> _sinks;
    private readonly IAuditSink _audit;
    private readonly string? _statePath;
    private readonly Dictionary<string, SentRecord> _sent;

    public AlertDispatcher(IReadOnlyList<IAlertSink> sinks, IAuditSink audit, TimeSpan deduplicationWindow, string? statePath = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentOutOfRangeException.ThrowIfLessThan(deduplicationWindow, TimeSpan.Zero);
        _sinks = sinks;
        _audit = audit;
        DeduplicationWindow = deduplicationWindow;
        _statePath = statePath is null ? null : Path.GetFullPath(statePath);
        _sent = LoadState(_statePath);
    }

    public TimeSpan DeduplicationWindow { get; }

    public async Task<IReadOnlyList<AlertDelivery>> DispatchAsync(IEnumerable<Alert> alerts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var deliveries = new List<AlertDelivery>();
        foreach (var alert in alerts)
        {
            deliveries.Add(await DispatchAsync(alert, cancellationToken).ConfigureAwait(false));
        }

        SaveState();
        return deliveries;
    }

    private async Task<AlertDelivery> DispatchAsync(Alert alert, CancellationToken cancellationToken)
    {
        var key = alert.DeduplicationKey;
        if (_sent.TryGetValue(key, out var previous)
            && alert.RaisedUtc - previous.SentUtc < DeduplicationWindow
            && alert.RaisedUtc >= previous.SentUtc
            && alert.Severity <= previous.Severity)
        {
            var suppressed = new AlertDelivery(alert, true, [], new Dictionary<string, string>());
            Audit(suppressed);
            return suppressed;
        }

        var delivered = new List<string>();
        var failed = new Dictionary<string, string>();
        // Sinks are independent: a webhook that is down must not keep the alert out of the file or the log.
        var outcomes = await Task.WhenAll(_sinks.Select(async sink =>
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken).ConfigureAwait(false);
                return (sink.Name, Error: (string?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (sink.Name, Error: e.Message);
            }
        })).ConfigureAwait(false);
        foreach (var (name, error) in outcomes)
        {
            if (error is null)
            {
                delivered.Add(name);
            }
            else
            {
                failed[name] = error;
            }
        }

        if (delivered.Count > 0)
        {
            _sent[key] = new SentRecord(alert.RaisedUtc, alert.Severity);
        }

        var delivery = new AlertDelivery(alert, false, delivered, failed);
        Audit(delivery);
        return delivery;
    }

    private void Audit(AlertDelivery delivery)
    {
        var payload = JsonSerializer.Serialize(new
        {
            alert = delivery.Alert,
            suppressed = delivery.Suppressed,
            delivered = delivery.Delivered,
            failed = delivery.Failed,
        }, Alert.Json);
        _audit.Append(new AuditEvent("alert", delivery.Alert.RaisedUtc, payload));
    }

    private static Dictionary<string, SentRecord> LoadState(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return new Dictionary<string, SentRecord>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, SentRecord>>(File.ReadAllText(path), Alert.Json)
                ?? new Dictionary<string, SentRecord>(StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Alert deduplication state '{path}' is not valid JSON ({e.Message}); delete it to start deduplication afresh.", e);
        }
    }

    private void SaveState()
    {
        if (_statePath is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_statePath)!);
        Pipeline.AtomicFile.WriteAllText(_statePath, JsonSerializer.Serialize(_sent, Alert.Json));
    }

    private sealed record SentRecord(DateTime SentUtc, AlertSeverity Severity);
}
