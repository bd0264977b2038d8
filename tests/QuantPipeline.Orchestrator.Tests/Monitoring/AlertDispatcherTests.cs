using System.Text.Json;
using QuantPipeline.Orchestrator.Monitoring.Alerts;
using QuantPipeline.Orchestrator.Monitoring.Audit;

namespace QuantPipeline.Orchestrator.Tests.Monitoring;

public sealed class AlertDispatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-alerts-").FullName;

    private static readonly WebhookOptions Fast = new() { Timeout = TimeSpan.FromSeconds(2), InitialBackoff = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task Each_alert_reaches_every_sink_once_and_every_alert_is_audited()
    {
        // The webhook fails its first try: delivery still happens once, through the retry.
        using var receiver = new LoopbackWebhook(n => (n == 1 ? 503 : 200, TimeSpan.Zero));
        using var webhook = new WebhookAlertSink(receiver.Url, Fast);
        var console = new StringWriter();
        var file = new JsonLinesAlertSink(Path.Combine(_dir, "alerts.jsonl"));
        var audit = new JsonLinesAuditSink(Path.Combine(_dir, "audit.jsonl"));
        var dispatcher = new AlertDispatcher([new ConsoleAlertSink(console), file, webhook], audit, TimeSpan.FromHours(24));

        Alert[] alerts = [AlertTestData.Drift("vol_20"), AlertTestData.Drift("ret_1", AlertSeverity.Warning)];
        var deliveries = await dispatcher.DispatchAsync(alerts);

        Assert.All(deliveries, d => Assert.Equal(["console", "jsonl", "webhook"], d.Delivered.Order()));
        Assert.All(deliveries, d => Assert.Empty(d.Failed));
        Assert.Equal(2, console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("[CRITICAL] 2024-05-06 m drift.psi vol_20", console.ToString());
        Assert.Equal(alerts, JsonLinesAlertSink.Read(file.Path));
        Assert.Equal(3, receiver.Count); // 503 + 200 for the first alert, 200 for the second
        Assert.Equal(2, receiver.Requests.Select(r => r.Body).Distinct().Count());

        var entries = JsonLinesAuditSink.Read(audit.Path);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("alert", e.Type));
        using var first = JsonDocument.Parse(entries[0].PayloadJson);
        Assert.Equal("vol_20", first.RootElement.GetProperty("alert").GetProperty("subject").GetString());
        Assert.False(first.RootElement.GetProperty("suppressed").GetBoolean());
    }

    [Fact]
    public async Task Repeats_inside_the_window_are_suppressed_but_audited_escalations_and_later_repeats_are_sent()
    {
        var file = new JsonLinesAlertSink(Path.Combine(_dir, "alerts.jsonl"));
        var audit = new JsonLinesAuditSink(Path.Combine(_dir, "audit.jsonl"));
        var state = Path.Combine(_dir, "state.json");
        var window = TimeSpan.FromHours(24);
        var t0 = AlertTestData.Noon;

        var first = await new AlertDispatcher([file], audit, window, state).DispatchAsync([AlertTestData.Drift("vol_20", AlertSeverity.Warning, t0)]);
        Assert.False(first[0].Suppressed);

        // A new process (new dispatcher, same state file) six hours later: same finding, same severity → suppressed.
        var dispatcher = new AlertDispatcher([file], audit, window, state);
        var later = await dispatcher.DispatchAsync(
        [
            AlertTestData.Drift("vol_20", AlertSeverity.Warning, t0.AddHours(6)),
            AlertTestData.Drift("ret_5", AlertSeverity.Warning, t0.AddHours(6)), // a different subject is a different finding
            AlertTestData.Drift("vol_20", AlertSeverity.Critical, t0.AddHours(7)), // escalation goes through
            AlertTestData.Drift("vol_20", AlertSeverity.Critical, t0.AddHours(8)), // and is then itself deduplicated
            AlertTestData.Drift("vol_20", AlertSeverity.Warning, t0.AddHours(31)), // 24 h after the last send: sent again
        ]);
        Assert.Equal([true, false, false, true, false], later.Select(d => d.Suppressed));

        Assert.Equal(4, JsonLinesAlertSink.Read(file.Path).Count);
        var audited = JsonLinesAuditSink.Read(audit.Path);
        Assert.Equal(6, audited.Count);
        Assert.Equal([false, true, false, false, true, false], audited.Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("suppressed").GetBoolean()));
    }

    [Fact]
    public async Task A_failing_sink_does_not_keep_the_alert_from_the_others_and_the_failure_is_audited()
    {
        using var down = new LoopbackWebhook(_ => (500, TimeSpan.Zero));
        using var webhook = new WebhookAlertSink(down.Url, Fast with { MaxAttempts = 2 });
        var file = new JsonLinesAlertSink(Path.Combine(_dir, "alerts.jsonl"));
        var audit = new JsonLinesAuditSink(Path.Combine(_dir, "audit.jsonl"));
        var delivery = Assert.Single(await new AlertDispatcher([webhook, file], audit, TimeSpan.FromHours(1)).DispatchAsync([AlertTestData.Drift()]));
        Assert.Equal(["jsonl"], delivery.Delivered);
        Assert.Contains("500", delivery.Failed["webhook"]);
        Assert.Single(JsonLinesAlertSink.Read(file.Path));
        using var payload = JsonDocument.Parse(Assert.Single(JsonLinesAuditSink.Read(audit.Path)).PayloadJson);
        Assert.Contains("500", payload.RootElement.GetProperty("failed").GetProperty("webhook").GetString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
