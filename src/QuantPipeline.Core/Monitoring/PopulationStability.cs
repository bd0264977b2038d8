namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Population stability index of a current sample against a reference distribution:
/// PSI = Σ_b (c_b − r_b) · ln(c_b / r_b) over bins cut at the reference's quantiles, with proportions
/// floored at <see cref="Floor"/> so empty bins stay finite. Non-finite values are ignored.
/// </summary>
public static class PopulationStability
{
    public const double Floor = 1e-4;

    /// <summary>Default PSI at which drift is worth a warning (moderate shift).</summary>
    public const double WarnThreshold = 0.1;

    /// <summary>Default PSI at which drift raises an alert (significant shift).</summary>
    public const double AlertThreshold = 0.2;

    /// <summary>"ok", "warn" or "alert" for a PSI value.</summary>
    public static string Level(double psi, double warn = WarnThreshold, double alert = AlertThreshold) =>
        psi >= alert ? "alert" : psi >= warn ? "warn" : "ok";

    /// <summary>PSI of every feature's current window against its stored reference bins, features in parallel.</summary>
    public static double[] Psi(IReadOnlyList<FeatureReference> references, IReadOnlyList<float[]> current) =>
        [.. DriftCalculator.Compute(references, current).Select(d => d.Psi)];

    /// <summary>Inner bin edges (bins − 1 of them) at the reference's quantiles.</summary>
    public static double[] QuantileEdges(ReadOnlySpan<float> reference, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var sorted = Finite(reference);
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The reference sample has no finite values.", nameof(reference));
        }

        Array.Sort(sorted);
        var edges = new double[bins - 1];
        for (var b = 1; b < bins; b++)
        {
            // Linear interpolation between order statistics (numpy's default quantile).
            var position = (double)b / bins * (sorted.Length - 1);
            var lo = (int)Math.Floor(position);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            edges[b - 1] = sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
        }

        return edges;
    }

    /// <summary>Proportion of finite values in each bin; bin b holds edges[b−1] &lt; x ≤ edges[b].</summary>
    public static double[] Proportions(ReadOnlySpan<float> sample, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        var total = 0;
        foreach (var x in sample)
        {
            if (!float.IsFinite(x))
            {
                continue;
            }

            var bin = Array.BinarySearch(edges, (double)x);
            bin = bin >= 0 ? bin : ~bin;
            counts[bin]++;
            total++;
        }

        if (total == 0)
        {
            throw new ArgumentException("The sample has no finite values.", nameof(sample));
        }

        for (var b = 0; b < counts.Length; b++)
        {
            counts[b] /= total;
        }

        return counts;
    }

    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Reference and current proportions must have the same bins.");
        }

        double psi = 0;
        for (var b = 0; b < reference.Length; b++)
        {
            var r = Math.Max(reference[b], Floor);
            var c = Math.Max(current[b], Floor);
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    public static double Psi(ReadOnlySpan<float> reference, ReadOnlySpan<float> current, int bins = 10)
    {
        var edges = QuantileEdges(reference, bins);
        return Psi(Proportions(reference, edges), Proportions(current, edges));
    }

    private static float[] Finite(ReadOnlySpan<float> values)
    {
        var list = new List<float>(values.Length);
        foreach (var x in values)
        {
            if (float.IsFinite(x))
            {
                list.Add(x);
            }
        }

        return [.. list];
    }
}
