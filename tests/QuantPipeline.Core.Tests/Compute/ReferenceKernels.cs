using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// Plain float64 scalar reference of every kernel: one symbol at a time, each window recomputed from scratch with
/// two-pass formulas, written straight from the rules in KernelSemantics (no shared code with any backend). It is the
/// only float64 reference: the device check (benchmarks/QuantPipeline.GpuCheck) compiles this same file.
/// </summary>
internal static class ReferenceKernels
{
    private static bool Ok(float v) => float.IsFinite(v);

    private static bool Ok(double v) => double.IsFinite(v);

    public static double[] Unary(UnaryOp op, float[] x) => x.Select(v => op switch
    {
        UnaryOp.Neg => -(double)v,
        UnaryOp.Abs => Math.Abs((double)v),
        UnaryOp.Log => Math.Log(v),
        UnaryOp.Exp => Math.Exp(v),
        UnaryOp.Sqrt => Math.Sqrt(v),
        UnaryOp.Sign => double.IsNaN(v) ? double.NaN : Math.Sign(v),
        UnaryOp.Not => double.IsNaN(v) ? double.NaN : v == 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    }).ToArray();

    public static double[] Binary(BinaryOp op, float[] a, float[] b)
    {
        var result = new double[a.Length];
        for (var k = 0; k < a.Length; k++)
        {
            double x = a[k], y = b[k];
            var nan = double.IsNaN(x) || double.IsNaN(y);
            result[k] = op switch
            {
                BinaryOp.Add => x + y,
                BinaryOp.Sub => x - y,
                BinaryOp.Mul => x * y,
                BinaryOp.Div => x / y,
                BinaryOp.Pow => Math.Pow(x, y),
                BinaryOp.Max => nan ? double.NaN : Math.Max(x, y),
                BinaryOp.Min => nan ? double.NaN : Math.Min(x, y),
                _ when nan => double.NaN,
                BinaryOp.Gt => x > y ? 1 : 0,
                BinaryOp.Lt => x < y ? 1 : 0,
                BinaryOp.Ge => x >= y ? 1 : 0,
                BinaryOp.Le => x <= y ? 1 : 0,
                BinaryOp.Eq => x == y ? 1 : 0,
                BinaryOp.Ne => x != y ? 1 : 0,
                BinaryOp.And => x != 0 && y != 0 ? 1 : 0,
                BinaryOp.Or => x != 0 || y != 0 ? 1 : 0,
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }

        return result;
    }

    public static double[] Where(float[] cond, float[] a, float[] b) =>
        cond.Select((c, k) => !float.IsNaN(c) && c != 0 ? (double)a[k] : b[k]).ToArray();

    public static double[] Shift(float[] src, int t, int n, int periods) =>
        Rows(t, n, (i, j) => i - periods >= 0 && i - periods < t ? src[(i - periods) * n + j] : double.NaN);

    public static double[] Diff(float[] src, int t, int n, int periods) =>
        Rows(t, n, (i, j) => i - periods >= 0 && i - periods < t ? (double)src[i * n + j] - src[(i - periods) * n + j] : double.NaN);

    public static double[] Returns(float[] src, int t, int n, int periods, ReturnKind kind) =>
        Rows(t, n, (i, j) =>
        {
            if (i - periods < 0 || i - periods >= t)
            {
                return double.NaN;
            }

            var ratio = (double)src[i * n + j] / src[(i - periods) * n + j];
            return kind == ReturnKind.Simple ? ratio - 1 : Math.Log(ratio);
        });

    public static double[] Rolling(RollingOp op, float[] src, int t, int n, RollingSpec spec)
    {
        var w = spec.Window;
        return Rows(t, n, (i, j) =>
        {
            var start = Math.Max(0, i - w + 1);
            var slots = new List<(int Slot, double Value)>();
            for (var r = start; r <= i; r++)
            {
                var v = src[r * n + j];
                if (Ok(v))
                {
                    // Slot positions count from the oldest slot of a full window.
                    slots.Add((r - (i - w + 1), v));
                }
            }

            var m = slots.Count;
            var minimum = op switch
            {
                RollingOp.Sum or RollingOp.Count => 0,
                RollingOp.Var or RollingOp.Std => spec.Ddof + 1,
                RollingOp.Slope or RollingOp.Rsquare or RollingOp.Resi => 2,
                RollingOp.Skew => 3,
                RollingOp.Kurt => 4,
                _ => 1,
            };
            if (m < Math.Max(spec.EffectiveMinPeriods, minimum))
            {
                return double.NaN;
            }

            var values = slots.Select(s => s.Value).ToArray();
            var mean = m > 0 ? values.Average() : double.NaN;
            double Central(int p) => values.Sum(v => Math.Pow(v - mean, p)) / m;
            var newest = src[i * n + j];
            switch (op)
            {
                case RollingOp.Sum: return values.Sum();
                case RollingOp.Count: return m;
                case RollingOp.Mean: return mean;
                case RollingOp.Var: return values.Sum(v => (v - mean) * (v - mean)) / (m - spec.Ddof);
                case RollingOp.Std: return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (m - spec.Ddof));
                case RollingOp.Min: return values.Min();
                case RollingOp.Max: return values.Max();
                case RollingOp.ArgMin: return FirstIndex(src, n, j, start, i, values.Min()) + 1;
                case RollingOp.ArgMax: return FirstIndex(src, n, j, start, i, values.Max()) + 1;
                case RollingOp.Quantile:
                {
                    var sorted = values.Order().ToArray();
                    var pos = spec.Quantile * (m - 1);
                    var lo = (int)Math.Floor(pos);
                    var hi = Math.Min(lo + 1, m - 1);
                    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
                }

                case RollingOp.Rank:
                    return Ok(newest) ? (values.Count(v => v < newest) + (values.Count(v => v == newest) + 1) / 2.0) / m : double.NaN;
                case RollingOp.Skew:
                {
                    var m2 = Central(2);
                    return m2 <= 0 ? 0 : Math.Sqrt((double)m * (m - 1)) / (m - 2) * Central(3) / Math.Pow(m2, 1.5);
                }

                case RollingOp.Kurt:
                {
                    var m2 = Central(2);
                    return m2 <= 0 ? -3 : (((double)m * m - 1) * Central(4) / (m2 * m2) - 3.0 * (m - 1) * (m - 1)) / ((m - 2.0) * (m - 3.0));
                }

                case RollingOp.Slope or RollingOp.Rsquare or RollingOp.Resi:
                {
                    var mx = slots.Average(s => (double)s.Slot);
                    var sxx = slots.Sum(s => (s.Slot - mx) * (s.Slot - mx));
                    var sxy = slots.Sum(s => (s.Slot - mx) * (s.Value - mean));
                    var syy = slots.Sum(s => (s.Value - mean) * (s.Value - mean));
                    var slope = sxy / sxx;
                    return op switch
                    {
                        RollingOp.Slope => slope,
                        RollingOp.Rsquare => syy > 0 ? sxy * sxy / (sxx * syy) : double.NaN,
                        _ => Ok(newest) ? newest - (mean + slope * (w - 1 - mx)) : double.NaN,
                    };
                }

                case RollingOp.Wma:
                    return slots.Sum(s => (s.Slot + 1) * s.Value) / slots.Sum(s => s.Slot + 1.0);
                default:
                    throw new ArgumentOutOfRangeException(nameof(op));
            }
        });
    }

    public static double[] RollingPair(RollingPairOp op, float[] a, float[] b, int t, int n, RollingSpec spec)
    {
        var w = spec.Window;
        return Rows(t, n, (i, j) =>
        {
            var pairs = new List<(double X, double Y)>();
            for (var r = Math.Max(0, i - w + 1); r <= i; r++)
            {
                if (Ok(a[r * n + j]) && Ok(b[r * n + j]))
                {
                    pairs.Add((a[r * n + j], b[r * n + j]));
                }
            }

            var m = pairs.Count;
            var minimum = op == RollingPairOp.Cov ? spec.Ddof + 1 : 2;
            if (m < Math.Max(spec.EffectiveMinPeriods, minimum))
            {
                return double.NaN;
            }

            var mx = pairs.Average(p => p.X);
            var my = pairs.Average(p => p.Y);
            var sxy = pairs.Sum(p => (p.X - mx) * (p.Y - my));
            if (op == RollingPairOp.Cov)
            {
                return sxy / (m - spec.Ddof);
            }

            var sxx = pairs.Sum(p => (p.X - mx) * (p.X - mx));
            var syy = pairs.Sum(p => (p.Y - my) * (p.Y - my));
            return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
        });
    }

    /// <summary>pandas' ewm mean as a closed form: weights (1−α)^(age in bars) over past observations (adjust),
    /// or the recursion with NaN-aged weights (not adjusted).</summary>
    public static double[] Ewm(float[] src, int t, int n, EwmSpec spec) => Ewm(src.Select(v => (double)v).ToArray(), t, n, spec);

    public static double[] Ewm(double[] src, int t, int n, EwmSpec spec)
    {
        var result = new double[t * n];
        var required = Math.Max(spec.MinPeriods, 1);
        for (var j = 0; j < n; j++)
        {
            var observations = 0;
            double mean = double.NaN, oldWeight = 1;
            for (var i = 0; i < t; i++)
            {
                var v = src[i * n + j];
                if (Ok(v))
                {
                    observations++;
                }

                if (spec.Adjust)
                {
                    double num = 0, den = 0;
                    for (var r = 0; r <= i; r++)
                    {
                        var x = src[r * n + j];
                        if (Ok(x))
                        {
                            var weight = Math.Pow(1 - spec.Alpha, i - r);
                            num += weight * x;
                            den += weight;
                        }
                    }

                    mean = den > 0 ? num / den : double.NaN;
                }
                else if (!double.IsNaN(mean))
                {
                    oldWeight *= 1 - spec.Alpha;
                    if (Ok(v))
                    {
                        mean = (oldWeight * mean + spec.Alpha * v) / (oldWeight + spec.Alpha);
                        oldWeight = 1;
                    }
                }
                else if (Ok(v))
                {
                    mean = v;
                }

                result[i * n + j] = observations >= required ? mean : double.NaN;
            }
        }

        return result;
    }

    public static double[] Rsi(float[] src, int t, int n, int period)
    {
        var gain = new double[t * n];
        var loss = new double[t * n];
        for (var k = 0; k < gain.Length; k++)
        {
            var delta = k >= n ? (double)src[k] - src[k - n] : double.NaN;
            gain[k] = double.IsFinite(delta) ? Math.Max(delta, 0) : double.NaN;
            loss[k] = double.IsFinite(delta) ? Math.Max(-delta, 0) : double.NaN;
        }

        var spec = new EwmSpec(1.0 / period, Adjust: false, MinPeriods: period);
        var g = Ewm(gain, t, n, spec);
        var l = Ewm(loss, t, n, spec);
        return g.Select((x, k) => double.IsNaN(x) ? double.NaN : x + l[k] > 0 ? 100 * x / (x + l[k]) : 50).ToArray();
    }

    public static double[] CrossSectional(CrossSectionalOp op, float[] src, bool[]? mask, int t, int n, CrossSectionalSpec spec)
    {
        var result = new double[t * n];
        for (var i = 0; i < t; i++)
        {
            var valid = Enumerable.Range(0, n).Where(j => Ok(src[i * n + j]) && (mask == null || mask[i * n + j])).ToList();
            var values = valid.Select(j => (double)src[i * n + j]).ToArray();
            var m = values.Length;
            var mean = m > 0 ? values.Average() : double.NaN;
            var std = m > spec.Ddof ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (m - spec.Ddof)) : double.NaN;
            var sorted = values.Order().ToArray();
            double Quantile(double q)
            {
                var pos = q * (m - 1);
                var lo = (int)Math.Floor(pos);
                var hi = Math.Min(lo + 1, m - 1);
                return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
            }

            for (var j = 0; j < n; j++)
            {
                result[i * n + j] = double.NaN;
            }

            foreach (var j in valid)
            {
                double v = src[i * n + j];
                result[i * n + j] = op switch
                {
                    CrossSectionalOp.Rank => (values.Count(x => x < v) + (values.Count(x => x == v) + 1) / 2.0) / m,
                    CrossSectionalOp.ZScore => std > 0 ? (v - mean) / std : double.NaN,
                    CrossSectionalOp.Demean => v - mean,
                    CrossSectionalOp.Winsorize => Math.Clamp(v, Quantile(spec.Lower), Quantile(spec.Upper)),
                    _ => throw new ArgumentOutOfRangeException(nameof(op)),
                };
            }
        }

        return result;
    }

    public static double[] FillForward(float[] src, int t, int n, int limit) =>
        Rows(t, n, (i, j) =>
        {
            for (var r = i; r >= 0 && (limit == 0 || i - r <= limit); r--)
            {
                if (Ok(src[r * n + j]))
                {
                    return src[r * n + j];
                }
            }

            return double.NaN;
        });

    private static int FirstIndex(float[] src, int n, int j, int start, int end, double target)
    {
        for (var r = start; r <= end; r++)
        {
            if (Ok(src[r * n + j]) && src[r * n + j] == target)
            {
                return r - start;
            }
        }

        return -1;
    }

    private static double[] Rows(int t, int n, Func<int, int, double> cell)
    {
        var result = new double[t * n];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                result[i * n + j] = cell(i, j);
            }
        }

        return result;
    }
}
