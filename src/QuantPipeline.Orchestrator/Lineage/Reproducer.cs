using System.Globalization;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Lineage;

/// <summary>
/// Retrains a registered version from its lineage (its stored configuration, the same as-of and data
/// snapshot, the same seed) and compares the new weights and metrics with the recorded ones, bit for bit.
/// </summary>
public static class Reproducer
{
    public static ReproductionReport Reproduce(ModelRegistry registry, ModelVersion version, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(version);
        var lineage = version.Lineage
            ?? throw new InvalidOperationException($"{version.Reference} has no lineage recorded, so it cannot be retrained from it.");
        var config = BatchInference.ConfigOf(version);
        var configHash = LineageHashes.ConfigHash(config);
        if (configHash != lineage.ConfigHash)
        {
            throw new InvalidOperationException($"{version.Reference}: the stored configuration hashes to {configHash}, not the recorded {lineage.ConfigHash}; the lineage was altered.");
        }

        var pipeline = new ProductionPipeline(config, workingDirectory);
        // The deflated Sharpe depends on how many trials stood behind the version when it was registered: reuse that count.
        var trials = ProductionPipeline.TrialsOf(version);
        var trained = pipeline.TrainAndValidate(version.AsOf, new StageRunner(), trials);
        try
        {
            if (trained.SnapshotId != lineage.DataSnapshotId)
            {
                throw new InvalidOperationException(
                    $"{version.Reference} was trained on data snapshot {lineage.DataSnapshotId}, but the market store in {workingDirectory} now gives {trained.SnapshotId} for the same dates: the data changed, so the version cannot be reproduced from it. Restore the store the version was trained on.");
            }

            var temp = Path.Combine(Path.GetTempPath(), $"qp-reproduce-{Guid.NewGuid():N}.pt");
            string reproducedSha;
            try
            {
                trained.Training.Model.Save(temp);
                reproducedSha = Storage.Artifacts.ContentHash.Sha256OfFile(temp);
            }
            finally
            {
                File.Delete(temp);
            }

            double maxDifference;
            using (var recorded = BatchInference.LoadPipelineModel(version))
            {
                maxDifference = recorded.MaxAbsDifference(trained.Training.Model);
            }

            var reproducedMetrics = ProductionPipeline.RegisteredMetrics(trained);
            var metrics = version.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MetricComparison(m.Key, m.Value, reproducedMetrics.TryGetValue(m.Key, out var r) ? r : double.NaN))
                .ToList();
            var range = $"{lineage.TrainingFrom:yyyy-MM-dd}..{lineage.TrainingTo:yyyy-MM-dd}";
            var reproducedRange = $"{Date(trained, trained.TrainStart)}..{Date(trained, trained.TrainEnd)}";
            var report = new ReproductionReport(version.Reference, lineage.DataSnapshotId, trained.SnapshotId, range, reproducedRange,
                lineage.CodeVersion, CodeVersion.Current, version.ArtifactSha256, reproducedSha, maxDifference, metrics);
            registry.Audit.Append("reproduce", new
            {
                model = version.ModelName,
                version = version.Version,
                identical = report.Identical,
                weights_identical = report.WeightsIdentical,
                metrics_identical = report.MetricsIdentical,
                reproduced_sha256 = reproducedSha,
                code_version = CodeVersion.Current,
            });
            return report;
        }
        finally
        {
            trained.Training.Model.Dispose();
        }
    }

    private static string Date(TrainedModel trained, int index) =>
        DateOnly.FromDateTime(trained.Panel.Timestamps[index]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
