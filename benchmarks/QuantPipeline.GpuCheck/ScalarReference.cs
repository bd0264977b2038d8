using QuantPipeline.Core.Compute;

namespace QuantPipeline.GpuCheck;

/// <summary>
/// Plain float64 reference for every kernel, written from the definitions with no streaming tricks: each output
/// is computed from its own window by direct loops. Slow on purpose; used to check the backends, never to serve.
/// </summary>
public static class ScalarReference
{
    public static double[] Unary(UnaryOp op, float[] x) => x.Select(v => UnaryOne(op, v)).ToArray();

    public static double[] Binary(BinaryOp op, float[] a, float[] b) => a.Select((v, k) => BinaryOne(op, v, b[k])).ToArray();

    public static double[] Where(float[] cond, float[] a, float[] b) =>
        cond.Select((c, k) => (double)(!float.IsNaN(c) && c != 0 ? a[k] : b[k])).ToArray();

    /// <param name="kind">0 shift, 1 diff, 2 simple return, 3 log return.</param>
    public static double[] Shifted(int kind, float[] src, int t, int n, int periods)
    {
        var dst = new double[t * n];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var from = i - periods;
                if (from < 0 || from >= t)
                {
                    dst[i * n + j] = double.NaN;
                    continue;
                }

                double now = src[i * n + j];
                double before = src[from * n + j];
                dst[i * n + j] = kind switch
                {
                    0 => before,
                    1 => now - before,
                    2 => now / before - 1,
                    _ => Math.Log(now / before),
                };
            }
        }

        return dst;
    }

    public static double[] Rolling(RollingOp op, float[] src, int t, int n, RollingSpec spec)
    {
        var dst = new double[t * n];
        var minPeriods = spec.EffectiveMinPeriods;
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < t; i++)
            {
                var start = Math.Max(0, i - spec.Window + 1);
                var slots = new List<(int Pos, double Value)>();
                for (var q = start; q <= i; q++)
                {
                    var v = src[q * n + j];
                    if (!float.IsNaN(v))
                    {
                        slots.Add((q - start, v));
                    }
                }

                double newest = src[i * n + j];
                dst[i * n + j] = RollingOne(op, slots, i - start + 1, newest, minPeriods, spec);
            }
        }

        return dst;
    }

    private static double RollingOne(RollingOp op, List<(int Pos, double Value)> slots, int slotCount, double newest, int minPeriods, RollingSpec spec)
    {
        var c = slots.Count;
        if (op == RollingOp.Count)
        {
            return c >= minPeriods ? c : double.NaN;
        }

        if (c < minPeriods)
        {
            return double.NaN;
        }

        if (op == RollingOp.Sum)
        {
            return slots.Sum(s => s.Value);
        }

        if (c == 0)
        {
            return double.NaN;
        }

        var values = slots.Select(s => s.Value).ToArray();
        var mean = values.Average();
        switch (op)
        {
            case RollingOp.Mean:
                return mean;
            case RollingOp.Var:
            case RollingOp.Std:
                {
                    if (c <= spec.Ddof)
                    {
                        return double.NaN;
                    }

                    var variance = values.Sum(v => (v - mean) * (v - mean)) / (c - spec.Ddof);
                    return op == RollingOp.Var ? variance : Math.Sqrt(variance);
                }

            case RollingOp.Min:
                return values.Min();
            case RollingOp.Max:
                return values.Max();
            case RollingOp.ArgMin:
                return slots.First(s => s.Value == values.Min()).Pos + 1;
            case RollingOp.ArgMax:
                return slots.First(s => s.Value == values.Max()).Pos + 1;
            case RollingOp.Quantile:
                return SortedQuantile(values.Order().ToArray(), spec.Quantile);
            case RollingOp.Rank:
                {
                    if (double.IsNaN(newest))
                    {
                        return double.NaN;
                    }

                    var less = values.Count(v => v < newest);
                    var equal = values.Count(v => v == newest);
                    return (less + (equal + 1) / 2.0) / c;
                }

            case RollingOp.Skew:
            case RollingOp.Kurt:
                {
                    // pandas' bias-corrected estimators; a (relatively) zero variance gives NaN.
                    var m2 = values.Sum(v => Math.Pow(v - mean, 2)) / c;
                    var m3 = values.Sum(v => Math.Pow(v - mean, 3)) / c;
                    var m4 = values.Sum(v => Math.Pow(v - mean, 4)) / c;
                    if (m2 <= 1e-14 * mean * mean)
                    {
                        return double.NaN;
                    }

                    if (op == RollingOp.Skew)
                    {
                        return c < 3 ? double.NaN : Math.Sqrt((double)c * (c - 1)) / (c - 2) * m3 / Math.Pow(m2, 1.5);
                    }

                    return c < 4 ? double.NaN : ((c * (double)c - 1) * m4 / (m2 * m2) - 3.0 * (c - 1) * (c - 1)) / ((c - 2.0) * (c - 3.0));
                }

            case RollingOp.Slope:
            case RollingOp.Rsquare:
            case RollingOp.Resi:
                {
                    if (c < 2)
                    {
                        return double.NaN;
                    }

                    var mx = slots.Average(s => (double)s.Pos);
                    var sxx = slots.Sum(s => (s.Pos - mx) * (s.Pos - mx));
                    var sxy = slots.Sum(s => (s.Pos - mx) * (s.Value - mean));
                    var syy = slots.Sum(s => (s.Value - mean) * (s.Value - mean));
                    var slope = sxy / sxx;
                    return op switch
                    {
                        RollingOp.Slope => slope,
                        RollingOp.Rsquare => syy > 0 ? sxy * sxy / (sxx * syy) : double.NaN,
                        _ => double.IsNaN(newest) ? double.NaN : newest - (mean + slope * (slotCount - 1 - mx)),
                    };
                }

            case RollingOp.Wma:
                // Weights count from the oldest slot of a full window (1 … window), even in a short first window.
                return slots.Sum(s => (s.Pos + 1.0 + spec.Window - slotCount) * s.Value) / slots.Sum(s => s.Pos + 1.0 + spec.Window - slotCount);
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "unknown rolling operation");
        }
    }

    public static double[] RollingPair(RollingPairOp op, float[] a, float[] b, int t, int n, RollingSpec spec)
    {
        var dst = new double[t * n];
        var minPeriods = spec.EffectiveMinPeriods;
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < t; i++)
            {
                var pairs = new List<(double A, double B)>();
                for (var q = Math.Max(0, i - spec.Window + 1); q <= i; q++)
                {
                    if (!float.IsNaN(a[q * n + j]) && !float.IsNaN(b[q * n + j]))
                    {
                        pairs.Add((a[q * n + j], b[q * n + j]));
                    }
                }

                var c = pairs.Count;
                if (c < minPeriods || c == 0)
                {
                    dst[i * n + j] = double.NaN;
                    continue;
                }

                var ma = pairs.Average(p => p.A);
                var mb = pairs.Average(p => p.B);
                var sab = pairs.Sum(p => (p.A - ma) * (p.B - mb));
                var saa = pairs.Sum(p => (p.A - ma) * (p.A - ma));
                var sbb = pairs.Sum(p => (p.B - mb) * (p.B - mb));
                dst[i * n + j] = op == RollingPairOp.Cov
                    ? (c > spec.Ddof ? sab / (c - spec.Ddof) : double.NaN)
                    : (c >= 2 && saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN);
            }
        }

        return dst;
    }

    /// <summary>
    /// pandas' ewm().mean() (ignore_na = false). adjust = true is written as explicit weights: the observation at
    /// bar k carries (1 − alpha)^(i − k) at bar i, missing bars still ageing the weights. adjust = false follows
    /// pandas' recursion literally: y = ((1 − alpha)^g · y + alpha · x) / ((1 − alpha)^g + alpha) after g bars.
    /// </summary>
    public static double[] Ewm(float[] src, int t, int n, EwmSpec spec)
    {
        var dst = new double[t * n];
        var minPeriods = Math.Max(1, spec.MinPeriods);
        for (var j = 0; j < n; j++)
        {
            var y = double.NaN;
            var age = 0;
            for (var i = 0; i < t; i++)
            {
                double num = 0, den = 0;
                var observations = 0;
                for (var k = 0; k <= i; k++)
                {
                    var x = src[k * n + j];
                    if (float.IsNaN(x))
                    {
                        continue;
                    }

                    observations++;
                    num += Math.Pow(1 - spec.Alpha, i - k) * x;
                    den += Math.Pow(1 - spec.Alpha, i - k);
                }

                double xi = src[i * n + j];
                age++;
                if (!double.IsNaN(xi))
                {
                    var old = Math.Pow(1 - spec.Alpha, age);
                    y = double.IsNaN(y) ? xi : (old * y + spec.Alpha * xi) / (old + spec.Alpha);
                    age = 0;
                }

                var value = spec.Adjust ? num / den : y;
                dst[i * n + j] = observations >= minPeriods ? value : double.NaN;
            }
        }

        return dst;
    }

    /// <summary>RSI from Wilder averages of gains and losses of the one-bar change (pandas ewm, alpha = 1/period, adjust = false).</summary>
    public static double[] Rsi(float[] src, int t, int n, int period)
    {
        var diff = Shifted(1, src, t, n, 1);
        var gains = diff.Select(d => double.IsNaN(d) ? float.NaN : (float)Math.Max(d, 0)).ToArray();
        var losses = diff.Select(d => double.IsNaN(d) ? float.NaN : (float)Math.Max(-d, 0)).ToArray();
        var spec = new EwmSpec(1.0 / period, Adjust: false, MinPeriods: period);
        var g = Ewm(gains, t, n, spec);
        var l = Ewm(losses, t, n, spec);
        return g.Select((x, k) => 100 - 100 / (1 + x / l[k])).ToArray();
    }

    public static double[] CrossSectional(CrossSectionalOp op, float[] src, bool[] mask, int t, int n, CrossSectionalSpec spec)
    {
        var dst = new double[t * n];
        Array.Fill(dst, double.NaN);
        for (var i = 0; i < t; i++)
        {
            var members = Enumerable.Range(0, n)
                .Where(j => (mask.Length == 0 || mask[i * n + j]) && float.IsFinite(src[i * n + j]))
                .ToArray();
            var values = members.Select(j => (double)src[i * n + j]).ToArray();
            var c = values.Length;
            if (c == 0)
            {
                continue;
            }

            var mean = values.Average();
            var sd = c > spec.Ddof ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (c - spec.Ddof)) : double.NaN;
            var sorted = values.Order().ToArray();
            var lower = SortedQuantile(sorted, spec.Lower);
            var upper = SortedQuantile(sorted, spec.Upper);
            foreach (var j in members)
            {
                double x = src[i * n + j];
                dst[i * n + j] = op switch
                {
                    CrossSectionalOp.Rank => (values.Count(v => v < x) + (values.Count(v => v == x) + 1) / 2.0) / c,
                    CrossSectionalOp.ZScore => sd > 0 ? (x - mean) / sd : double.NaN,
                    CrossSectionalOp.Demean => x - mean,
                    _ => Math.Clamp(x, lower, upper),
                };
            }
        }

        return dst;
    }

    public static double[] FillForward(float[] src, int t, int n, int limit)
    {
        var dst = new double[t * n];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < t; i++)
            {
                var value = double.NaN;
                for (var k = i; k >= 0 && (limit == 0 || i - k <= limit); k--)
                {
                    if (!float.IsNaN(src[k * n + j]))
                    {
                        value = src[k * n + j];
                        break;
                    }
                }

                dst[i * n + j] = value;
            }
        }

        return dst;
    }

    private static double SortedQuantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static double UnaryOne(UnaryOp op, double x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Sign => double.IsNaN(x) ? double.NaN : Math.Sign(x),
        _ => double.IsNaN(x) ? double.NaN : x == 0 ? 1 : 0,
    };

    private static double BinaryOne(BinaryOp op, double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.NaN;
        }

        return op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.Div => a / b,
            BinaryOp.Pow => Math.Pow(a, b),
            BinaryOp.Max => Math.Max(a, b),
            BinaryOp.Min => Math.Min(a, b),
            BinaryOp.Gt => a > b ? 1 : 0,
            BinaryOp.Lt => a < b ? 1 : 0,
            BinaryOp.Ge => a >= b ? 1 : 0,
            BinaryOp.Le => a <= b ? 1 : 0,
            BinaryOp.Eq => a == b ? 1 : 0,
            BinaryOp.Ne => a != b ? 1 : 0,
            BinaryOp.And => a != 0 && b != 0 ? 1 : 0,
            _ => a != 0 || b != 0 ? 1 : 0,
        };
    }
}
