using System.Diagnostics;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Storage.Tests;

/// <summary>Separate OS processes register and move aliases on one registry at the same time.</summary>
public sealed class ProcessConcurrencyTests
{
    private const int Processes = 4;
    private const int PerProcess = 6;

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Parallel_processes_never_lose_or_duplicate_a_version_or_an_audit_entry(string backend)
    {
        // The registry does not exist yet: the workers race on creating and migrating it, then on registrations.
        using var test = new TestRegistry(backend);

        var worker = Path.Combine(AppContext.BaseDirectory, "QuantPipeline.RegistryWorker.dll");
        var processes = Enumerable.Range(0, Processes).Select(i =>
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = test.Directory };
            foreach (var a in new[] { worker, test.Uri, "m", PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                info.ArgumentList.Add(a);
            }

            return Process.Start(info)!;
        }).ToList();
        var reported = new List<int>();
        foreach (var p in processes)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await p.WaitForExitAsync(timeout.Token);
            Assert.True(p.ExitCode == 0, await error);
            reported.AddRange((await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l["registered ".Length..], System.Globalization.CultureInfo.InvariantCulture)));
            p.Dispose();
        }

        const int total = Processes * PerProcess;
        Assert.Equal(Enumerable.Range(1, total), reported.Order());
        using var registry = test.Open();
        var stored = registry.ListVersions("m");
        Assert.Equal(Enumerable.Range(1, total), stored.Select(v => v.Version));
        Assert.Equal(total, stored.Select(v => v.Parameters["worker"] + "/" + v.Parameters["i"]).Distinct().Count());

        var history = registry.AliasHistory("m", ModelRegistry.Production);
        Assert.Equal(Enumerable.Range(1, total + Processes * (PerProcess / 3)).Select(i => (long)i), history.Select(h => h.Sequence));
        Assert.Equal(total, history.Count(h => h.Action == "promote"));
        // Each move records the holder it replaced: the history is one unbroken chain of holders.
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].Version, history[i].PreviousVersion);
        }

        Assert.Equal(history[^1].Version, registry.GetAlias("m", ModelRegistry.Production)!.Version);
        var audit = registry.Audit.Verify();
        Assert.True(audit.Intact, audit.Message);
        Assert.Equal(total + history.Count, audit.EntriesChecked);
    }
}
