namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Reference distribution of one feature (or of the predictions) at training time: the PSI bins
/// (inner edges at the reference quantiles and the reference proportion in each), the missing rate,
/// and a quantile sketch for the KS test.
/// </summary>
/// <param name="Name">Feature name, or "prediction".</param>
/// <param name="Count">Finite values in the reference sample (the n of the KS p-value).</param>
/// <param name="MissingRate">Share of non-finite values among all reference cells.</param>
/// <param name="Edges">Inner bin edges (bins − 1), at the reference quantiles.</param>
/// <param name="Proportions">Reference proportion per bin (bins of them).</param>
/// <param name="Sketch">Sorted values: the whole finite sample when it is small, else evenly spaced order statistics.</param>
public sealed record FeatureReference(
    string Name,
    int Count,
    double MissingRate,
    double[] Edges,
    double[] Proportions,
    double[] Sketch)
{
    public const int DefaultBins = 10;

    public const int DefaultSketchSize = 1000;

    public static FeatureReference Build(string name, ReadOnlySpan<float> sample, int bins = DefaultBins, int sketchSize = DefaultSketchSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(sketchSize, 2);
        var sorted = KolmogorovSmirnov.SortedFinite(sample);
        if (sorted.Length == 0)
        {
            throw new ArgumentException($"The reference sample of '{name}' has no finite values ({sample.Length} cells); check the training window holds data for this feature.", nameof(sample));
        }

        var edges = PopulationStability.QuantileEdges(sample, bins);
        var proportions = PopulationStability.Proportions(sample, edges);
        return new FeatureReference(
            name,
            sorted.Length,
            1.0 - (double)sorted.Length / sample.Length,
            edges,
            proportions,
            QuantileSketch(sorted, sketchSize));
    }

    /// <summary>Evenly spaced order statistics (linear interpolation, numpy's default quantile) of a sorted sample.</summary>
    internal static double[] QuantileSketch(double[] sorted, int size)
    {
        if (sorted.Length <= size)
        {
            return sorted;
        }

        var sketch = new double[size];
        for (var k = 0; k < size; k++)
        {
            var position = (double)k / (size - 1) * (sorted.Length - 1);
            var lo = (int)Math.Floor(position);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            sketch[k] = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
        }

        return sketch;
    }
}
