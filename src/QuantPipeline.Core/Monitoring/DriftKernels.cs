namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Drift of many features at once: PSI, two-sample KS (statistic and asymptotic p-value), Jensen–Shannon distance
/// and missing-rate change for every row of a [features × samples] block, features in parallel. No sample is sorted
/// or copied: one SIMD pass per feature counts finite values and values at or below each PSI bin edge, and the KS
/// statistic comes from where each value falls among the reference sketch (see <see cref="KsStatistic"/>).
/// Figures equal those of <see cref="DriftCalculator"/>, which does the same per feature by sorting.
/// </summary>
public static partial class DriftKernels
{
    /// <param name="block">Feature f's current window is block[f·samples, (f+1)·samples); NaN and ±∞ count as missing.</param>
    /// <param name="samples">Cells per feature (e.g. sessions × symbols of the window).</param>
    public static DriftFigures[] Compute(IReadOnlyList<FeatureReference> references, ReadOnlyMemory<float> block, int samples, DriftThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (block.Length != (long)references.Count * samples)
        {
            throw new ArgumentException($"The block holds {block.Length} values but {references.Count} features × {samples} samples need {(long)references.Count * samples}; lay each feature's window out contiguously, in the order of the references.", nameof(block));
        }

        thresholds ??= new DriftThresholds();
        var results = new DriftFigures[references.Count];
        Parallel.For(0, references.Count, f => results[f] = Compute(references[f], block.Span.Slice(f * samples, samples), thresholds));
        return results;
    }

    /// <summary>Drift of one feature's current window against its reference.</summary>
    public static DriftFigures Compute(FeatureReference reference, ReadOnlySpan<float> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(thresholds);
        var edges = reference.Edges;
        Span<float> limits = stackalloc float[edges.Length];
        FloatLimits(edges, limits);
        Span<int> atOrBelow = stackalloc int[edges.Length];
        var finite = CountAtOrBelow(current, limits, atOrBelow);
        var missing = current.Length == 0 ? double.NaN : 1.0 - (double)finite / current.Length;
        var change = missing - reference.MissingRate;
        if (finite == 0)
        {
            return new DriftFigures(reference.Name, 0, double.NaN, DriftLevel.Ok, double.NaN, double.NaN, double.NaN, reference.MissingRate, missing, change, thresholds.MissingLevel(double.IsNaN(change) ? 1.0 : change));
        }

        var proportions = Proportions(atOrBelow, finite);
        var psi = PopulationStability.Psi(reference.Proportions, proportions);
        var d = KsStatistic(reference.Sketch, current, finite);
        return new DriftFigures(
            reference.Name,
            finite,
            psi,
            thresholds.PsiLevel(psi),
            d,
            KolmogorovSmirnov.PValue(d, reference.Count, finite),
            JensenShannon.Distance(reference.Proportions, proportions),
            reference.MissingRate,
            missing,
            change,
            thresholds.MissingLevel(change));
    }

    /// <summary>
    /// For each double edge e, the largest float f with f ≤ e: for a float x, x ≤ e exactly when x ≤ f, so the
    /// SIMD pass compares in float and still bins as <see cref="PopulationStability.Proportions"/> does in double.
    /// </summary>
    internal static void FloatLimits(ReadOnlySpan<double> edges, Span<float> limits)
    {
        for (var b = 0; b < edges.Length; b++)
        {
            var f = (float)edges[b];
            limits[b] = f > edges[b] ? MathF.BitDecrement(f) : f;
        }
    }

    /// <summary>Bin proportions from cumulative counts: bin b holds limits[b−1] &lt; x ≤ limits[b], the last bin the rest.</summary>
    internal static double[] Proportions(ReadOnlySpan<int> atOrBelow, int finite)
    {
        var proportions = new double[atOrBelow.Length + 1];
        var previous = 0;
        for (var b = 0; b < atOrBelow.Length; b++)
        {
            proportions[b] = (double)(atOrBelow[b] - previous) / finite;
            previous = atOrBelow[b];
        }

        proportions[^1] = (double)(finite - previous) / finite;
        return proportions;
    }
}
