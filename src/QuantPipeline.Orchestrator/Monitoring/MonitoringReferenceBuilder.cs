using System.Globalization;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Builds and writes the monitoring reference of a freshly trained model (called by the register stage).</summary>
public static class MonitoringReferenceBuilder
{
    /// <param name="panel">The prepared panel with the raw feature fields.</param>
    /// <param name="featureNames">Raw feature fields to watch; their training-window values become the reference.</param>
    /// <param name="validationPredictions">Predictions over [validationStart, validationEnd], time-major.</param>
    /// <param name="label">Forward returns over the whole panel, time-major.</param>
    public static MonitoringReference Build(
        string modelName,
        Panel panel,
        IReadOnlyList<string> featureNames,
        int trainStart,
        int trainEnd,
        int validationStart,
        int validationEnd,
        float[] validationPredictions,
        float[] label,
        double validationSharpe)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(featureNames);
        var n = panel.N;
        var features = featureNames
            .Select(name => FeatureReference.Build(name, panel.Field(name).AsSpan(trainStart * n, (trainEnd - trainStart + 1) * n)))
            .ToList();
        var length = validationEnd - validationStart + 1;
        var realised = label.AsSpan(validationStart * n, length * n);
        var ic = InformationCoefficient.PerBar(validationPredictions, realised, length, n);
        var rankIc = InformationCoefficient.RankPerBar(validationPredictions, realised, length, n);
        var finiteIc = ic.Where(double.IsFinite).ToArray();
        var icMean = finiteIc.Length > 0 ? finiteIc.Average() : double.NaN;
        var icStd = finiteIc.Length > 1 ? Math.Sqrt(finiteIc.Sum(x => (x - icMean) * (x - icMean)) / (finiteIc.Length - 1)) : double.NaN;
        var finiteRank = rankIc.Where(double.IsFinite).ToArray();
        return new MonitoringReference(
            MonitoringReference.CurrentFormatVersion,
            modelName,
            Date(panel, panel.T - 1),
            $"{Date(panel, trainStart)}..{Date(panel, trainEnd)}",
            features,
            FeatureReference.Build(MonitoringNames.Prediction, validationPredictions),
            new ValidationFigures(
                Date(panel, validationStart),
                Date(panel, validationEnd),
                icMean,
                icStd,
                finiteRank.Length > 0 ? finiteRank.Average() : double.NaN,
                validationSharpe,
                ic));
    }

    /// <summary>Writes the reference next to the model artifact as &lt;artifact name&gt;.monitoring.json and returns its path.</summary>
    public static string WriteNextTo(string artifactPath, MonitoringReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var path = Path.ChangeExtension(artifactPath, ".monitoring.json");
        AtomicFile.WriteAllText(path, reference.ToJson());
        return path;
    }

    private static string Date(Panel panel, int index) =>
        DateOnly.FromDateTime(panel.Timestamps[index]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
