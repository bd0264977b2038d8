using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace QuantPipeline.Cluster.Tests;

/// <summary>The built qp executable run as its own process, as a user or a service manager would run it.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static SiloProcess Start(params string[] args) => new(Process.Start(Info(args))!);

    public async Task WaitJoinedAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_joined.Task, exited, Task.Delay(timeout));
        if (first != _joined.Task)
        {
            throw new TimeoutException($"The silo did not join within {timeout.TotalSeconds:F0} s (exited: {_process.HasExited}). Output:\n{Output}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no leaving the membership table, work in flight is lost.</summary>
    public void Kill9()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    public static async Task<(int Exit, string Out, string Err)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var p = Process.Start(Info(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"qp {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:F0} s.");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ProcessStartInfo Info(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qp.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("joined cluster", StringComparison.Ordinal))
        {
            _joined.TrySetResult();
        }
    }
}
