using System.Diagnostics;
using System.Text.Json;
using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Tests.Monitoring;

public class WebhookAlertSinkTests
{
    private static readonly WebhookOptions Fast = new()
    {
        Timeout = TimeSpan.FromSeconds(2),
        MaxAttempts = 4,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Posts_the_alert_as_json_to_a_real_listener()
    {
        using var receiver = new LoopbackWebhook();
        using var sink = new WebhookAlertSink(receiver.Url, Fast);
        await sink.SendAsync(AlertTestData.Drift());

        var (contentType, body, method) = Assert.Single(receiver.Requests);
        Assert.Equal("POST", method);
        Assert.StartsWith("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Critical", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal("drift.psi", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("vol_20", json.RootElement.GetProperty("subject").GetString());
        Assert.Equal(0.412, json.RootElement.GetProperty("value").GetDouble(), 12);
        Assert.Equal("2024-05-06", json.RootElement.GetProperty("as_of").GetString());
        Assert.Equal(AlertTestData.Drift(), Alert.FromJson(body));
    }

    [Fact]
    public async Task Retries_after_server_errors_with_exponential_backoff_until_accepted()
    {
        // 503, 500, then 200: three tries, waits of 50 ms and 100 ms between them.
        using var receiver = new LoopbackWebhook(n => (n <= 2 ? (n == 1 ? 503 : 500) : 200, TimeSpan.Zero));
        using var sink = new WebhookAlertSink(receiver.Url, Fast);
        var watch = Stopwatch.StartNew();
        await sink.SendAsync(AlertTestData.Drift());
        Assert.Equal(3, receiver.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"backoff waits should total 150 ms, took {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], new[] { 1, 2, 3 }.Select(sink.Backoff));
        // Every try carried the same body.
        Assert.Single(receiver.Requests.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task A_try_that_times_out_is_retried()
    {
        using var receiver = new LoopbackWebhook(n => (200, n == 1 ? TimeSpan.FromSeconds(3) : TimeSpan.Zero));
        using var sink = new WebhookAlertSink(receiver.Url, Fast with { Timeout = TimeSpan.FromMilliseconds(300) });
        await sink.SendAsync(AlertTestData.Drift());
        Assert.Equal(2, receiver.Count);
    }

    [Fact]
    public async Task A_client_error_is_final_and_a_receiver_that_stays_down_fails_after_max_attempts()
    {
        using (var rejecting = new LoopbackWebhook(_ => (400, TimeSpan.Zero)))
        using (var sink = new WebhookAlertSink(rejecting.Url, Fast))
        {
            var e = await Assert.ThrowsAsync<AlertDeliveryException>(() => sink.SendAsync(AlertTestData.Drift()));
            Assert.Equal(1, rejecting.Count);
            Assert.Equal(1, e.Attempts);
            Assert.Contains("HTTP 400", e.Message);
        }

        using (var down = new LoopbackWebhook(_ => (503, TimeSpan.Zero)))
        using (var sink = new WebhookAlertSink(down.Url, Fast with { MaxAttempts = 3 }))
        {
            var e = await Assert.ThrowsAsync<AlertDeliveryException>(() => sink.SendAsync(AlertTestData.Drift()));
            Assert.Equal(3, down.Count);
            Assert.Equal(3, e.Attempts);
            Assert.Contains("503", e.Message);
            Assert.Contains(down.Url.ToString(), e.Message);
        }
    }
}
