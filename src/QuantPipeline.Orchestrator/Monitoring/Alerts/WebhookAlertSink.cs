using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

/// <summary>Delivery settings of the webhook sink.</summary>
public sealed record WebhookOptions
{
    /// <summary>Limit on one POST, response included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Tries in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the second try; each later wait doubles, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Thrown when a webhook delivery gave up; says where, how often it tried and what the last answer was.</summary>
public sealed class AlertDeliveryException(string message, int attempts, Exception? inner = null) : Exception(message, inner)
{
    public int Attempts { get; } = attempts;
}

/// <summary>
/// POSTs each alert as JSON (application/json) to a URL. A try that times out, fails to connect or gets 408, 429
/// or a 5xx answer is retried after an exponentially growing wait; any other 4xx is final, since sending the
/// same body again cannot succeed.
/// </summary>
public sealed class WebhookAlertSink : IAlertSink, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly WebhookOptions _options;

    public WebhookAlertSink(Uri url, WebhookOptions? options = null, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        _options = options ?? new WebhookOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        _ownsClient = http is null;
        // Each try gets its own timeout below, so the client's own limit must not cut retries short.
        _http = http ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public Uri Url { get; }

    public string Name => "webhook";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = alert.ToJson();
        string lastFailure = "no attempt made";
        Exception? lastException = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(Backoff(attempt - 1), cancellationToken).ConfigureAwait(false);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.Timeout);
            try
            {
                using var content = new StringContent(body, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var response = await _http.PostAsync(Url, content, attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                lastFailure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                lastException = null;
                if (!IsTransient(response.StatusCode))
                {
                    throw new AlertDeliveryException($"Webhook {Url} refused alert {alert.Kind}/{alert.Subject} with {lastFailure} on try {attempt}; not retried because the request itself was rejected. Check the URL and what the receiver expects.", attempt);
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                lastFailure = $"no answer within {_options.Timeout.TotalSeconds:0.###} s";
                lastException = e;
            }
            catch (HttpRequestException e)
            {
                lastFailure = e.Message;
                lastException = e;
            }
        }

        throw new AlertDeliveryException($"Webhook {Url} did not accept alert {alert.Kind}/{alert.Subject} after {_options.MaxAttempts} tries; last: {lastFailure}. Check the receiver is up and reachable.", _options.MaxAttempts, lastException);
    }

    /// <summary>Wait before retry number <paramref name="retry"/> (1 for the first retry): initial × 2^(retry−1), capped.</summary>
    public TimeSpan Backoff(int retry)
    {
        var ms = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, retry - 1);
        return TimeSpan.FromMilliseconds(Math.Min(ms, _options.MaxBackoff.TotalMilliseconds));
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }
}
