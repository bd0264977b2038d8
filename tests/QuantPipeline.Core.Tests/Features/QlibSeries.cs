namespace QuantPipeline.Core.Tests.Features;

/// <summary>
/// Qlib's operators on one symbol's series in plain float64, written from pandas/Qlib semantics: every window is
/// rolling(d, min_periods = 1) over the bars max(0, i − d + 1)..i; NaN keeps its slot but is skipped.
/// These are the independent references the engine is checked against.
/// </summary>
internal static class QlibSeries
{
    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    public static double[] Zip(double[] a, double[] b, Func<double, double, double> f) => a.Select((v, i) => f(v, b[i])).ToArray();

    public static double[] Ref(double[] x, int d) =>
        x.Select((_, i) => i - d >= 0 && i - d < x.Length ? x[i - d] : double.NaN).ToArray();

    /// <summary>Applies <paramref name="f"/> to each window (raw, NaN included, shorter at the start).</summary>
    public static double[] Roll(double[] x, int d, Func<double[], double> f)
    {
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var start = Math.Max(0, i - d + 1);
            result[i] = f(x[start..(i + 1)]);
        }

        return result;
    }

    public static double[] Finite(double[] w) => w.Where(v => !double.IsNaN(v)).ToArray();

    public static double Sum(double[] w) => Finite(w) is { Length: > 0 } f ? f.Sum() : double.NaN;

    public static double Mean(double[] w) => Finite(w) is { Length: > 0 } f ? f.Average() : double.NaN;

    public static double Var(double[] w)
    {
        var f = Finite(w);
        if (f.Length < 2)
        {
            return double.NaN;
        }

        var m = f.Average();
        return f.Sum(v => (v - m) * (v - m)) / (f.Length - 1);
    }

    public static double Std(double[] w) => Math.Sqrt(Var(w));

    public static double Max(double[] w) => Finite(w) is { Length: > 0 } f ? f.Max() : double.NaN;

    public static double Min(double[] w) => Finite(w) is { Length: > 0 } f ? f.Min() : double.NaN;

    /// <summary>np.nanargmax(w) + 1: first position of the maximum, 1-based in the window.</summary>
    public static double IdxMax(double[] w) => ArgBest(w, (a, b) => a > b);

    public static double IdxMin(double[] w) => ArgBest(w, (a, b) => a < b);

    private static double ArgBest(double[] w, Func<double, double, bool> better)
    {
        var best = -1;
        for (var k = 0; k < w.Length; k++)
        {
            if (!double.IsNaN(w[k]) && (best < 0 || better(w[k], w[best])))
            {
                best = k;
            }
        }

        return best < 0 ? double.NaN : best + 1;
    }

    /// <summary>pandas' quantile: linear interpolation between order statistics.</summary>
    public static double Quantile(double[] w, double q)
    {
        var f = Finite(w);
        if (f.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(f);
        var pos = q * (f.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, f.Length - 1);
        return f[lo] + (f[hi] - f[lo]) * (pos - lo);
    }

    /// <summary>scipy's percentileofscore(finite, newest, kind = 'rank') / 100; NaN when the newest is NaN.</summary>
    public static double Rank(double[] w)
    {
        var last = w[^1];
        if (double.IsNaN(last))
        {
            return double.NaN;
        }

        var f = Finite(w);
        var left = f.Count(v => v < last);
        var right = f.Count(v => v <= last);
        return (left + right + (right > left ? 1 : 0)) * 0.5 / f.Length;
    }

    public static double Count(double[] w) => Finite(w).Length is var c && c > 0 ? c : double.NaN;

    /// <summary>pandas' bias-corrected sample skewness (needs 3 values).</summary>
    public static double Skew(double[] w)
    {
        var f = Finite(w);
        var n = (double)f.Length;
        if (n < 3)
        {
            return double.NaN;
        }

        var m = f.Average();
        var m2 = f.Sum(v => Math.Pow(v - m, 2)) / n;
        var m3 = f.Sum(v => Math.Pow(v - m, 3)) / n;
        return Math.Sqrt(n * (n - 1)) / (n - 2) * m3 / Math.Pow(m2, 1.5);
    }

    /// <summary>pandas' bias-corrected excess kurtosis (needs 4 values).</summary>
    public static double Kurt(double[] w)
    {
        var f = Finite(w);
        var n = (double)f.Length;
        if (n < 4)
        {
            return double.NaN;
        }

        var m = f.Average();
        var m2 = f.Sum(v => Math.Pow(v - m, 2)) / n;
        var m4 = f.Sum(v => Math.Pow(v - m, 4)) / n;
        return (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / (m2 * m2) - 3 * (n - 1));
    }

    /// <summary>Least-squares fit of the finite values against their slot positions in the window.</summary>
    public static (double Slope, double Intercept, double R2, double LastX) Fit(double[] w)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var k = 0; k < w.Length; k++)
        {
            if (!double.IsNaN(w[k]))
            {
                xs.Add(k);
                ys.Add(w[k]);
            }
        }

        if (xs.Count < 2)
        {
            return (double.NaN, double.NaN, double.NaN, w.Length - 1);
        }

        double mx = xs.Average(), my = ys.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var k = 0; k < xs.Count; k++)
        {
            sxy += (xs[k] - mx) * (ys[k] - my);
            sxx += (xs[k] - mx) * (xs[k] - mx);
            syy += (ys[k] - my) * (ys[k] - my);
        }

        var slope = sxy / sxx;
        return (slope, my - slope * mx, sxy * sxy / (sxx * syy), w.Length - 1);
    }

    public static double Slope(double[] w) => Fit(w).Slope;

    public static double Rsquare(double[] w) => Fit(w).R2;

    public static double Resi(double[] w)
    {
        var fit = Fit(w);
        return w[^1] - (fit.Intercept + fit.Slope * fit.LastX);
    }

    /// <summary>Weights 1..len by slot (newest heaviest), over the finite values.</summary>
    public static double Wma(double[] w)
    {
        double num = 0, den = 0;
        for (var k = 0; k < w.Length; k++)
        {
            if (!double.IsNaN(w[k]))
            {
                num += (k + 1) * w[k];
                den += k + 1;
            }
        }

        return den > 0 ? num / den : double.NaN;
    }

    /// <summary>pandas' rolling cov/corr: pairwise-complete observations, ddof = 1, at least 2 pairs.</summary>
    public static double[] Pair(double[] a, double[] b, int d, bool correlation)
    {
        var result = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (var k = Math.Max(0, i - d + 1); k <= i; k++)
            {
                if (!double.IsNaN(a[k]) && !double.IsNaN(b[k]))
                {
                    xs.Add(a[k]);
                    ys.Add(b[k]);
                }
            }

            if (xs.Count < 2)
            {
                result[i] = double.NaN;
                continue;
            }

            double mx = xs.Average(), my = ys.Average(), sxy = 0, sxx = 0, syy = 0;
            for (var k = 0; k < xs.Count; k++)
            {
                sxy += (xs[k] - mx) * (ys[k] - my);
                sxx += (xs[k] - mx) * (xs[k] - mx);
                syy += (ys[k] - my) * (ys[k] - my);
            }

            result[i] = correlation ? sxy / Math.Sqrt(sxx * syy) : sxy / (xs.Count - 1);
        }

        return result;
    }

    /// <summary>pandas ewm(alpha, adjust = true, min_periods): weights (1 − α)^age over finite past values.</summary>
    public static double[] EwmAdjusted(double[] x, double alpha, int minPeriods)
    {
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            double num = 0, den = 0;
            var count = 0;
            for (var k = 0; k <= i; k++)
            {
                if (!double.IsNaN(x[k]))
                {
                    var weight = Math.Pow(1 - alpha, i - k);
                    num += weight * x[k];
                    den += weight;
                    count++;
                }
            }

            result[i] = count >= Math.Max(minPeriods, 1) ? num / den : double.NaN;
        }

        return result;
    }

    /// <summary>Wilder's RSI: gains/losses of 1-bar changes smoothed recursively with α = 1/p from the first change; NaN before p changes.</summary>
    public static double[] Rsi(double[] x, int period)
    {
        var result = Enumerable.Repeat(double.NaN, x.Length).ToArray();
        double gain = double.NaN, loss = double.NaN;
        var count = 0;
        var alpha = 1.0 / period;
        for (var i = 1; i < x.Length; i++)
        {
            var change = x[i] - x[i - 1];
            if (double.IsNaN(change))
            {
                if (count >= period)
                {
                    result[i] = result[i - 1];
                }

                continue;
            }

            var up = Math.Max(change, 0);
            var down = Math.Max(-change, 0);
            if (count == 0)
            {
                gain = up;
                loss = down;
            }
            else
            {
                gain = (1 - alpha) * gain + alpha * up;
                loss = (1 - alpha) * loss + alpha * down;
            }

            count++;
            if (count >= period)
            {
                result[i] = loss == 0 ? (gain == 0 ? double.NaN : 100) : 100 - 100 / (1 + gain / loss);
            }
        }

        return result;
    }
}
