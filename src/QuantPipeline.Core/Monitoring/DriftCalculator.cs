namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// PSI, two-sample KS, Jensen–Shannon distance and missing-rate change for every feature in one call.
/// Features are independent, so they are computed in parallel; each feature's current window is sorted once
/// and both the bin counts and the KS statistic are read from the sorted sample.
/// </summary>
public static class DriftCalculator
{
    public static DriftFigures[] Compute(IReadOnlyList<FeatureReference> references, IReadOnlyList<float[]> current, DriftThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(current);
        if (references.Count != current.Count)
        {
            throw new ArgumentException($"{references.Count} references but {current.Count} current columns; pass one column per reference feature, in the same order.");
        }

        thresholds ??= new DriftThresholds();
        var results = new DriftFigures[references.Count];
        Parallel.For(0, references.Count, f => results[f] = Compute(references[f], current[f], thresholds));
        return results;
    }

    public static DriftFigures Compute(FeatureReference reference, ReadOnlySpan<float> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(thresholds);
        var sorted = KolmogorovSmirnov.SortedFinite(current);
        var missing = current.Length == 0 ? double.NaN : 1.0 - (double)sorted.Length / current.Length;
        var change = missing - reference.MissingRate;
        if (sorted.Length == 0)
        {
            return new DriftFigures(reference.Name, 0, double.NaN, DriftLevel.Ok, double.NaN, double.NaN, double.NaN, reference.MissingRate, missing, change, thresholds.MissingLevel(double.IsNaN(change) ? 1.0 : change));
        }

        var proportions = SortedProportions(sorted, reference.Edges);
        var psi = PopulationStability.Psi(reference.Proportions, proportions);
        var d = KolmogorovSmirnov.Statistic(reference.Sketch, sorted);
        return new DriftFigures(
            reference.Name,
            sorted.Length,
            psi,
            thresholds.PsiLevel(psi),
            d,
            KolmogorovSmirnov.PValue(d, reference.Count, sorted.Length),
            JensenShannon.Distance(reference.Proportions, proportions),
            reference.MissingRate,
            missing,
            change,
            thresholds.MissingLevel(change));
    }

    /// <summary>Bin proportions of a sorted sample with the same rule as PopulationStability.Proportions (edges[b−1] &lt; x ≤ edges[b]).</summary>
    private static double[] SortedProportions(double[] sorted, double[] edges)
    {
        var proportions = new double[edges.Length + 1];
        var start = 0;
        for (var b = 0; b < edges.Length; b++)
        {
            var end = UpperBound(sorted, edges[b], start);
            proportions[b] = (double)(end - start) / sorted.Length;
            start = end;
        }

        proportions[edges.Length] = (double)(sorted.Length - start) / sorted.Length;
        return proportions;
    }

    /// <summary>First index at or after <paramref name="from"/> whose value exceeds <paramref name="edge"/>.</summary>
    private static int UpperBound(double[] sorted, double edge, int from)
    {
        int lo = from, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= edge)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
