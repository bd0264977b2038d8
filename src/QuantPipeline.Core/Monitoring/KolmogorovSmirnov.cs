namespace QuantPipeline.Core.Monitoring;

/// <summary>Result of a two-sample Kolmogorov–Smirnov test.</summary>
public readonly record struct KsResult(double Statistic, double PValue, int ReferenceCount, int CurrentCount);

/// <summary>
/// Two-sample Kolmogorov–Smirnov test. D = sup_x |F_ref(x) − F_cur(x)| over the pooled sample (ties handled by
/// stepping past every copy of a value before comparing, as scipy.stats.ks_2samp does). The p-value is the
/// asymptotic one: P(K &gt; √(n·m/(n+m)) · D) under the Kolmogorov distribution, which is what
/// scipy.stats.ks_2samp(method="asymp") reported before SciPy 1.5 and what scipy.special.kolmogorov computes.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>Two-sided test on raw samples; non-finite values are ignored.</summary>
    public static KsResult Test(ReadOnlySpan<float> reference, ReadOnlySpan<float> current)
    {
        var a = SortedFinite(reference);
        var b = SortedFinite(current);
        var d = Statistic(a, b);
        return new KsResult(d, PValue(d, a.Length, b.Length), a.Length, b.Length);
    }

    /// <summary>
    /// D between two sorted samples. The reference may be a sketch (evenly spaced order statistics of a larger
    /// sample); its ECDF is then within 1/sketch-length of the full sample's.
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        int n = sortedReference.Length, m = sortedCurrent.Length;
        if (n == 0 || m == 0)
        {
            return double.NaN;
        }

        int i = 0, j = 0;
        double d = 0;
        while (i < n && j < m)
        {
            var x = Math.Min(sortedReference[i], sortedCurrent[j]);
            while (i < n && sortedReference[i] <= x)
            {
                i++;
            }

            while (j < m && sortedCurrent[j] <= x)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs((double)i / n - (double)j / m));
        }

        return d;
    }

    /// <summary>Asymptotic two-sided p-value for statistic d with sample sizes n and m.</summary>
    public static double PValue(double d, long n, long m)
    {
        if (double.IsNaN(d) || n == 0 || m == 0)
        {
            return double.NaN;
        }

        var effective = (double)n * m / (n + m);
        return KolmogorovSurvival(Math.Sqrt(effective) * d);
    }

    /// <summary>
    /// Survival function of the Kolmogorov distribution, Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
    /// For small λ the alternating series converges slowly, so the equivalent Jacobi-theta form
    /// 1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} is used there.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (lambda <= 0)
        {
            return 1.0;
        }

        if (lambda < 1.0)
        {
            double cdfSum = 0;
            for (var k = 1; k <= 20; k++)
            {
                var odd = 2 * k - 1;
                cdfSum += Math.Exp(-odd * odd * Math.PI * Math.PI / (8 * lambda * lambda));
            }

            return Math.Clamp(1.0 - Math.Sqrt(2 * Math.PI) / lambda * cdfSum, 0.0, 1.0);
        }

        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-18)
            {
                break;
            }
        }

        return Math.Clamp(2 * sum, 0.0, 1.0);
    }

    internal static double[] SortedFinite(ReadOnlySpan<float> values)
    {
        var list = new List<double>(values.Length);
        foreach (var x in values)
        {
            if (float.IsFinite(x))
            {
                list.Add(x);
            }
        }

        var array = list.ToArray();
        Array.Sort(array);
        return array;
    }
}
