using System.Security.Cryptography;
using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// The walk-forward backfill of <see cref="BackfillScenario"/> over <see cref="From"/>..<see cref="To"/> (four monthly
/// retrains with out-of-sample windows after them), and the checks that a cluster's run of it equals the one-machine run.
/// </summary>
public static class WalkForwardComparison
{
    public static readonly DateOnly From = new(2021, 3, 1);

    public static readonly DateOnly To = new(2021, 6, 30);

    public static BackfillOptions Options => new() { From = From, To = To, Frequency = "monthly" };

    /// <summary>What a backfill printed: its progress details and each stage's name and status, in order.</summary>
    public sealed class Transcript : IProgress<ProgressUpdate>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public void Report(ProgressUpdate value)
        {
            lock (_lines)
            {
                _lines.Add($"[{value.Task} {value.Done}/{value.Total}] {value.Detail}");
            }
        }

        public void Stage(StageRecord record)
        {
            lock (_lines)
            {
                _lines.Add($"  {record.Stage} {record.Status}");
            }
        }
    }

    /// <summary>The one-machine backfill in <paramref name="folder"/>.</summary>
    public static (BackfillResult Result, Transcript Printed) RunHere(string folder)
    {
        BackfillScenario.Ingest(folder);
        var printed = new Transcript();
        var result = new WalkForwardBackfill(BackfillScenario.Config, folder, printed, printed.Stage).Run(Options);
        return (result, printed);
    }

    /// <summary>Same retrains, gate decisions, versions, metrics, model bytes, progress and stage lines, and byte-identical out-of-sample files.</summary>
    public static void AssertSame(BackfillResult expected, Transcript expectedPrinted, BackfillResult actual, Transcript actualPrinted, string singleFolder, string clusterFolder)
    {
        Assert.Equal(4, expected.Retrains.Count);
        Assert.Equal(expected.Retrains, actual.Retrains);
        Assert.Equal(expectedPrinted.Lines, actualPrinted.Lines);
        var config = BackfillScenario.Config;
        using (var single = ModelRegistry.Open(config.ModelRegistryUri, singleFolder))
        using (var cluster = ModelRegistry.Open(config.ModelRegistryUri, clusterFolder))
        {
            var want = single.ListVersions(config.ModelName);
            var got = cluster.ListVersions(config.ModelName);
            Assert.Equal([1, 2, 3, 4], got.Select(v => v.Version));
            Assert.Equal(want.Select(v => (v.Version, v.AsOf, v.Status, v.ArtifactSha256)), got.Select(v => (v.Version, v.AsOf, v.Status, v.ArtifactSha256)));
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Metrics.OrderBy(m => m.Key), got[i].Metrics.OrderBy(m => m.Key));
                Assert.Equal(want[i].ArtifactSha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(got[i].ArtifactPath))));
            }
        }

        Assert.Equal(expected.Report.Sharpe, actual.Report.Sharpe);
        Assert.Equal(File.ReadAllBytes(expected.PredictionsCsvPath), File.ReadAllBytes(actual.PredictionsCsvPath));
        Assert.Equal(File.ReadAllBytes(expected.DailyCsvPath), File.ReadAllBytes(actual.DailyCsvPath));
        Assert.Equal(File.ReadAllBytes(expected.PredictionsArrowPath), File.ReadAllBytes(actual.PredictionsArrowPath));
    }
}
