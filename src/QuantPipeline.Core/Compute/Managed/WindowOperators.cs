namespace QuantPipeline.Core.Compute.Managed;

/// <summary>1-based position of the first window minimum, counted from the oldest available slot.</summary>
internal readonly struct ArgMinWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var best = -1;
        for (var k = 0; k < window.Length; k++)
        {
            if (!double.IsNaN(window[k]) && (best < 0 || window[k] < window[best]))
            {
                best = k;
            }
        }

        return best + 1;
    }
}

/// <summary>1-based position of the first window maximum, counted from the oldest available slot.</summary>
internal readonly struct ArgMaxWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var best = -1;
        for (var k = 0; k < window.Length; k++)
        {
            if (!double.IsNaN(window[k]) && (best < 0 || window[k] > window[best]))
            {
                best = k;
            }
        }

        return best + 1;
    }
}

/// <summary>Quantile of the finite values with linear interpolation between order statistics (pandas' default).</summary>
internal readonly struct QuantileWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var sorted = scratch[..finite];
        var m = 0;
        foreach (var v in window)
        {
            if (!double.IsNaN(v))
            {
                sorted[m++] = v;
            }
        }

        sorted.Sort();
        var position = spec.Quantile * (finite - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, finite - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
    }
}

/// <summary>Percentile rank of the newest value among the window's finite values, average ties, in (0, 1].</summary>
internal readonly struct RankWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var newest = window[^1];
        if (double.IsNaN(newest))
        {
            return double.NaN;
        }

        int less = 0, equal = 0;
        foreach (var v in window)
        {
            less += v < newest ? 1 : 0;
            equal += v == newest ? 1 : 0;
        }

        return (less + (equal + 1) / 2.0) / finite;
    }
}

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

/// <summary>Least-squares slope against the slot index.</summary>
internal readonly struct SlopeWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var fit = WindowMath.Regress(window, finite, slotOffset);
        return fit.Sxy / fit.Sxx;
    }
}

/// <summary>R² of the regression against the slot index; NaN for a constant window.</summary>
internal readonly struct RsquareWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var fit = WindowMath.Regress(window, finite, slotOffset);
        return fit.Syy > 0 ? fit.Sxy * fit.Sxy / (fit.Sxx * fit.Syy) : double.NaN;
    }
}

/// <summary>Newest value minus the regression line at the newest slot; NaN when the newest value is missing.</summary>
internal readonly struct ResiWindow : IWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> window, int finite, int slotOffset, in RollingSpec spec, Span<double> scratch)
    {
        var newest = window[^1];
        if (double.IsNaN(newest))
        {
            return double.NaN;
        }

        var fit = WindowMath.Regress(window, finite, slotOffset);
        var slope = fit.Sxy / fit.Sxx;
        var newestX = slotOffset + window.Length - 1;
        return newest - (fit.MeanY + slope * (newestX - fit.MeanX));
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

/// <summary>Covariance of complete pairs with ddof.</summary>
internal readonly struct CovWindow : IPairWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int complete, in RollingSpec spec)
    {
        var (_, _, sxy) = WindowMath.CoMoments(a, b, complete);
        return sxy / (complete - spec.Ddof);
    }
}

/// <summary>Pearson correlation of complete pairs; NaN when either side is constant.</summary>
internal readonly struct CorrWindow : IPairWindowOperator
{
    public static double Invoke(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int complete, in RollingSpec spec)
    {
        var (sxx, syy, sxy) = WindowMath.CoMoments(a, b, complete);
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
