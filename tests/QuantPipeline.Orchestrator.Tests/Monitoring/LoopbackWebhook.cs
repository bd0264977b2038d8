using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QuantPipeline.Orchestrator.Tests.Monitoring;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 and a free port. <paramref name="respond"/> gets the 1-based request number and
/// returns the status to answer and how long to wait before answering (to provoke client timeouts).
/// </summary>
public sealed class LoopbackWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, (int Status, TimeSpan Delay)> _respond;
    private readonly Task _loop;
    private int _count;

    public LoopbackWebhook(Func<int, (int Status, TimeSpan Delay)>? respond = null)
    {
        _respond = respond ?? (_ => (200, TimeSpan.Zero));
        // Reserve a free port by binding to port 0, then hand it to HttpListener.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/alerts/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    /// <summary>Every request, in arrival order: (content type, body).</summary>
    public ConcurrentQueue<(string? ContentType, string Body, string Method)> Requests { get; } = new();

    public int Count => Volatile.Read(ref _count);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                var number = Interlocked.Increment(ref _count);
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                Requests.Enqueue((context.Request.ContentType, await reader.ReadToEndAsync(), context.Request.HttpMethod));
                var (status, delay) = _respond(number);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }

                try
                {
                    context.Response.StatusCode = status;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    // The client gave up (timeout) and closed the connection.
                }
            });
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
