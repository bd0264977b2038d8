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

    /// <summary>
    /// Starts a silo that pauses at points armed in <paramref name="pauseDirectory"/> (see
    /// <see cref="Core.Diagnostics.PausePoints"/>): a test arms "unit.&lt;kind&gt;" and kills the silo that took it.
    /// </summary>
    public static SiloProcess StartPausable(string pauseDirectory, params string[] args)
    {
        var info = Info(args);
        info.Environment["QP_PAUSE_DIR"] = pauseDirectory;
        return new(Process.Start(info)!);
    }

    /// <summary>The process id, as a paused silo writes it in its marker.</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Waits until a silo has paused at the armed <paramref name="point"/> in <paramref name="pauseDirectory"/> and
    /// returns that silo. Fails if <paramref name="job"/> (the work that should reach the point) ends first; the
    /// deadline only turns a point never reached into a failure.
    /// </summary>
    public static async Task<SiloProcess> WaitPausedAsync(IReadOnlyList<SiloProcess> silos, string pauseDirectory, string point, Task job)
    {
        var marker = Core.Diagnostics.PausePoints.MarkerPath(pauseDirectory, point);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!File.Exists(marker))
        {
            Assert.False(job.IsCompleted, $"the work ended before any silo reached {point}");
            Assert.True(DateTime.UtcNow < deadline, $"no silo reached {point}");
            await Task.Delay(20);
        }

        var pid = int.Parse(await File.ReadAllTextAsync(marker), System.Globalization.CultureInfo.InvariantCulture);
        return silos.Single(s => s.Id == pid);
    }

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
