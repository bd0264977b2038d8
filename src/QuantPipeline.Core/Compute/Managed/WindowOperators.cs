namespace QuantPipeline.Core.Compute.Managed;

/// <summary>Unbiased skewness (pandas): √(n(n−1))/(n−2) · m3 / m2^1.5 over central moments; 0 for a constant window.</summary>
internal readonly struct SkewWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var mean = WindowMath.Mean(window, finite);
        double m2 = 0, m3 = 0;
        foreach (var v in window)
        {
            if (!double.IsNaN(v))
            {
                var d = v - mean;
                m2 += d * d;
                m3 += d * d * d;
            }
        }

        double n = finite;
        m2 /= n;
        m3 /= n;
        return m2 <= 0 ? 0.0 : Math.Sqrt(n * (n - 1)) / (n - 2) * m3 / Math.Pow(m2, 1.5);
    }
}

/// <summary>Unbiased excess kurtosis (pandas): [(n²−1)·m4/m2² − 3(n−1)²] / ((n−2)(n−3)); −3 for a constant window.</summary>
internal readonly struct KurtWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var mean = WindowMath.Mean(window, finite);
        double m2 = 0, m4 = 0;
        foreach (var v in window)
        {
            if (!double.IsNaN(v))
            {
                var d = v - mean;
                m2 += d * d;
                m4 += d * d * d * d;
            }
        }

        double n = finite;
        m2 /= n;
        m4 /= n;
        return m2 <= 0 ? -3.0 : ((n * n - 1) * m4 / (m2 * m2) - 3 * (n - 1) * (n - 1)) / ((n - 2) * (n - 3));
    }
}

/// <summary>Weighted mean with weight = slot position 1..w (newest heaviest), over the finite slots.</summary>
internal readonly struct WmaWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        double sum = 0, weights = 0;
        for (var k = 0; k < window.Length; k++)
        {
            if (!double.IsNaN(window[k]))
            {
                double weight = slotOffset + k + 1;
                sum += weight * window[k];
                weights += weight;
            }
        }

        return sum / weights;
    }
}
