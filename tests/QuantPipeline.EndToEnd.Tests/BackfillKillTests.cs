using System.Diagnostics;
using System.Text.Json;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>A demo backfill killed (SIGKILL) in the middle resumes where it stopped and ends as an uninterrupted one.</summary>
public sealed class BackfillKillTests : IDisposable
{
    private static readonly string[] Small = ["demo", "--symbols", "30", "--years", "4", "--retrains", "4"];

    private readonly string _killed = Directory.CreateTempSubdirectory("qp-killed-").FullName;
    private readonly string _whole = Directory.CreateTempSubdirectory("qp-whole-").FullName;

    [Fact]
    public async Task A_killed_backfill_redoes_only_the_missing_retrains_and_matches_an_uninterrupted_one()
    {
        // Each retrain's pipeline run ends with its progress line "[run] 8/8 (100%), done in …" on standard error.
        await RunUntilKilled([.. Small, "--workdir", _killed], "[run] 8/8 (100%)", occurrence: 2);
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _killed))
        {
            var done = registry.ListVersions("demo_mlp").Count;
            Assert.InRange(done, 2, 3);
        }

        var (exit, output, error) = await QpProcess.RunAsync([.. Small, "--workdir", _killed]);
        Assert.True(exit == 0, output + error);
        var reused = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"retrains: 4 \(\d+ passed the gate, (\d+) reused\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reused, 2, 3);
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _killed))
        {
            var versions = registry.ListVersions("demo_mlp");
            Assert.Equal(4, versions.Count);
            Assert.Equal(4, versions.Select(v => v.AsOf).Distinct().Count());
        }

        (exit, output, error) = await QpProcess.RunAsync([.. Small, "--workdir", _whole]);
        Assert.True(exit == 0, output + error);
        var series = Path.Combine("backfill", "demo_mlp", "2025-09-02_2025-12-31", "oos_daily.csv");
        Assert.Equal(File.ReadAllText(Path.Combine(_whole, series)), File.ReadAllText(Path.Combine(_killed, series)));

        // qp backfill with the demo's settings given by --set finds every retrain and window already done.
        (exit, output, error) = await QpProcess.RunAsync(
            "backfill", "--from", "2025-09-01", "--to", "2025-12-31", "--workdir", _killed, "--json",
            "--set", "model_name=demo_mlp", "--set", "training_window_days=504", "--set", "training_epochs=4");
        Assert.True(exit == 0, output + error);
        var json = JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(["2025-09-02", "2025-10-01", "2025-11-03", "2025-12-01"], json.GetProperty("retrains").EnumerateArray().Select(r => r.GetProperty("date").GetString()));
        Assert.All(json.GetProperty("retrains").EnumerateArray(), r => Assert.True(r.GetProperty("reused").GetBoolean()));
    }

    /// <summary>Starts qp and kills its whole process tree as soon as the <paramref name="occurrence"/>-th line of its progress (standard error) contains <paramref name="marker"/>.</summary>
    private static async Task RunUntilKilled(string[] args, string marker, int occurrence)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qp.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        _ = p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = 0;
        while (await p.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal) && ++seen == occurrence)
            {
                p.Kill(entireProcessTree: true);
                break;
            }
        }

        await p.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, p.ExitCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_killed, recursive: true);
        Directory.Delete(_whole, recursive: true);
    }
}
