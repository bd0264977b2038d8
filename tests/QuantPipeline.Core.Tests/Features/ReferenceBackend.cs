using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>
/// <see cref="IComputeBackend"/> on <see cref="QlibSeries"/>: each symbol's column goes through the float64 Qlib
/// operators. Slow and obviously correct; it lets the expression engine be checked on its own, and the guard and
/// library tests run on it next to the production backends.
/// </summary>
internal sealed class ReferenceBackend : IComputeBackend
{
    public static readonly ReferenceBackend Instance = new();

    public string Name => "reference";

    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst)
    {
        for (var k = 0; k < x.Length; k++)
        {
            dst[k] = (float)ScalarSemantics.Unary(op, x[k]);
        }
    }

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        for (var k = 0; k < a.Length; k++)
        {
            dst[k] = (float)ScalarSemantics.Binary(op, a[k], b[k]);
        }
    }

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        for (var k = 0; k < cond.Length; k++)
        {
            dst[k] = ScalarSemantics.IsTrue(cond[k]) ? a[k] : b[k];
        }
    }

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) =>
        PerColumn(src, dst, t, n, x => QlibSeries.Ref(x, periods));

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) =>
        PerColumn(src, dst, t, n, x => QlibSeries.Zip(x, QlibSeries.Ref(x, periods), (a, b) => a - b));

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind) =>
        PerColumn(src, dst, t, n, x => QlibSeries.Zip(x, QlibSeries.Ref(x, periods), (a, b) => kind == ReturnKind.Log ? Math.Log(a / b) : a / b - 1));

    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec)
    {
        Func<double[], double> f = op switch
        {
            RollingOp.Sum => QlibSeries.Sum,
            RollingOp.Mean => QlibSeries.Mean,
            RollingOp.Var => QlibSeries.Var,
            RollingOp.Std => QlibSeries.Std,
            RollingOp.Min => QlibSeries.Min,
            RollingOp.Max => QlibSeries.Max,
            RollingOp.ArgMin => QlibSeries.IdxMin,
            RollingOp.ArgMax => QlibSeries.IdxMax,
            RollingOp.Quantile => w => QlibSeries.Quantile(w, spec.Quantile),
            RollingOp.Rank => QlibSeries.Rank,
            RollingOp.Skew => QlibSeries.Skew,
            RollingOp.Kurt => QlibSeries.Kurt,
            RollingOp.Slope => QlibSeries.Slope,
            RollingOp.Rsquare => QlibSeries.Rsquare,
            RollingOp.Resi => QlibSeries.Resi,
            RollingOp.Wma => QlibSeries.Wma,
            RollingOp.Count => QlibSeries.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
        var minPeriods = Math.Max(1, spec.EffectiveMinPeriods);
        PerColumn(src, dst, t, n, x => QlibSeries.Roll(x, spec.Window, w => QlibSeries.Finite(w).Length >= minPeriods ? f(w) : double.NaN));
    }

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec)
    {
        for (var j = 0; j < n; j++)
        {
            var result = QlibSeries.Pair(Column(a, t, n, j), Column(b, t, n, j), spec.Window, op == RollingPairOp.Corr);
            Store(result, dst, n, j);
        }
    }

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec) =>
        PerColumn(src, dst, t, n, x => QlibSeries.EwmAdjusted(x, spec.Alpha, spec.MinPeriods));

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period) =>
        PerColumn(src, dst, t, n, x => QlibSeries.Rsi(x, period));

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        for (var i = 0; i < t; i++)
        {
            var members = new List<(int J, double V)>();
            for (var j = 0; j < n; j++)
            {
                var v = src[i * n + j];
                if ((mask.IsEmpty || mask[i * n + j]) && float.IsFinite(v))
                {
                    members.Add((j, v));
                }
            }

            dst.Slice(i * n, n).Fill(float.NaN);
            var values = members.Select(m => m.V).ToArray();
            var mean = values.Length > 0 ? values.Average() : double.NaN;
            var std = values.Length > spec.Ddof ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - spec.Ddof)) : double.NaN;
            foreach (var (j, v) in members)
            {
                dst[i * n + j] = (float)(op switch
                {
                    CrossSectionalOp.Rank => (values.Count(x => x < v) + 1 + values.Count(x => x <= v)) * 0.5 / values.Length,
                    CrossSectionalOp.ZScore => std > 0 ? (v - mean) / std : double.NaN,
                    CrossSectionalOp.Demean => v - mean,
                    CrossSectionalOp.Winsorize => Math.Clamp(v, QlibSeries.Quantile(values, spec.Lower), QlibSeries.Quantile(values, spec.Upper)),
                    _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
                });
            }
        }
    }

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0)
    {
        for (var j = 0; j < n; j++)
        {
            var lastSeen = float.NaN;
            var age = 0;
            for (var i = 0; i < t; i++)
            {
                var v = src[i * n + j];
                if (float.IsFinite(v))
                {
                    lastSeen = v;
                    age = 0;
                    dst[i * n + j] = v;
                }
                else
                {
                    age++;
                    dst[i * n + j] = limit == 0 || age <= limit ? lastSeen : float.NaN;
                }
            }
        }
    }

    private static void PerColumn(ReadOnlySpan<float> src, Span<float> dst, int t, int n, Func<double[], double[]> f)
    {
        for (var j = 0; j < n; j++)
        {
            Store(f(Column(src, t, n, j)), dst, n, j);
        }
    }

    private static double[] Column(ReadOnlySpan<float> src, int t, int n, int j)
    {
        var x = new double[t];
        for (var i = 0; i < t; i++)
        {
            x[i] = src[i * n + j];
        }

        return x;
    }

    private static void Store(double[] values, Span<float> dst, int n, int j)
    {
        for (var i = 0; i < values.Length; i++)
        {
            dst[i * n + j] = (float)values[i];
        }
    }
}
