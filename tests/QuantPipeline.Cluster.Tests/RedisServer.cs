using System.Diagnostics;
using System.Net.Sockets;

namespace QuantPipeline.Cluster.Tests;

/// <summary>The Redis server of a test: QP_TEST_REDIS_URI's, or a redis-server this test starts on 127.0.0.1 and stops on dispose.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process? _process;

    private RedisServer(string uri, Process? process)
    {
        Uri = uri;
        _process = process;
    }

    public string Uri { get; }

    public static string? ConfiguredUri => Environment.GetEnvironmentVariable("QP_TEST_REDIS_URI") is { Length: > 0 } uri ? uri : null;

    public static string? Executable => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "redis-server"))
        .FirstOrDefault(File.Exists);

    public static async Task<RedisServer> StartAsync()
    {
        if (ConfiguredUri is { } configured)
        {
            return new RedisServer(configured, null);
        }

        var executable = Executable ?? throw new InvalidOperationException("QP_REQUIRE_REDIS=1 but there is no Redis server: QP_TEST_REDIS_URI is unset and redis-server is not on the PATH (see .ci/start-redis.sh).");
        var port = SiloProcess.FreePort();
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", string.Empty, "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer($"redis://127.0.0.1:{port}", process);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                server.Dispose();
                throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port} within 10 s.");
            }
        }
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}
