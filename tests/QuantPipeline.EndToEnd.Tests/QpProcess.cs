using System.Diagnostics;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>Runs the built qp executable in its own process, as a user would.</summary>
internal static class QpProcess
{
    /// <summary>How long one qp command may take before the test fails; the process and its children are killed then.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static (int Exit, string Out, string Err) Run(params string[] args) => RunAsync(args).GetAwaiter().GetResult();

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        try
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"qp {string.Join(' ', args)} did not finish within {Timeout}; it was killed with its children.");
            }

            return (p.ExitCode, await stdout, await stderr);
        }
        finally
        {
            KillTree(p);
        }
    }

    /// <summary>The start info for the built qp with <paramref name="args"/>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qp.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>Kills the process and every process it started, if it is still running, and waits for it to go.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }
}
