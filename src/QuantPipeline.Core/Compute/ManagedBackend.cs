using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using QuantPipeline.Core.Compute.Managed;

namespace QuantPipeline.Core.Compute;

/// <summary>
/// Managed kernels: loops run along time and vectorise across symbols (Vector512/256/128 with a scalar remainder),
/// column blocks of symbols run in parallel, state is float64. The operations themselves live in
/// <c>Compute/Managed/</c> as operator structs over a few shared drivers.
/// </summary>
public sealed unsafe class ManagedBackend : IComputeBackend
{
    public static readonly ManagedBackend Instance = new();

    public string Name => "managed";

    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst)
    {
        RequireSameLength(x.Length, dst.Length);
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, dst); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, dst); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, dst); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, dst); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, dst); break;
            case UnaryOp.Sign: ElementWise.Unary<SignOperator>(x, dst); break;
            case UnaryOp.Not: ElementWise.Unary<NotOperator>(x, dst); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary operation.");
        }
    }

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        RequireSameLength(a.Length, dst.Length);
        RequireSameLength(b.Length, dst.Length);
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, dst); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, dst); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, dst); break;
            case BinaryOp.Div: TensorPrimitives.Divide(a, b, dst); break;
            case BinaryOp.Pow: TensorPrimitives.Pow(a, b, dst); break;
            case BinaryOp.Max: TensorPrimitives.Max(a, b, dst); break;
            case BinaryOp.Min: TensorPrimitives.Min(a, b, dst); break;
            case BinaryOp.Gt: ElementWise.Binary<PredicateOperator<GreaterThanPredicate>>(a, b, dst); break;
            case BinaryOp.Lt: ElementWise.Binary<PredicateOperator<LessThanPredicate>>(a, b, dst); break;
            case BinaryOp.Ge: ElementWise.Binary<PredicateOperator<GreaterOrEqualPredicate>>(a, b, dst); break;
            case BinaryOp.Le: ElementWise.Binary<PredicateOperator<LessOrEqualPredicate>>(a, b, dst); break;
            case BinaryOp.Eq: ElementWise.Binary<PredicateOperator<EqualPredicate>>(a, b, dst); break;
            case BinaryOp.Ne: ElementWise.Binary<PredicateOperator<NotEqualPredicate>>(a, b, dst); break;
            case BinaryOp.And: ElementWise.Binary<PredicateOperator<AndPredicate>>(a, b, dst); break;
            case BinaryOp.Or: ElementWise.Binary<PredicateOperator<OrPredicate>>(a, b, dst); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary operation.");
        }
    }

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        RequireSameLength(cond.Length, dst.Length);
        RequireSameLength(a.Length, dst.Length);
        RequireSameLength(b.Length, dst.Length);
        ElementWise.Where(cond, a, b, dst);
    }

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        fixed (float* s = src, d = dst)
        {
            RowPairs(s, d, t, n, periods, &CopyRow);
        }
    }

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        fixed (float* s = src, d = dst)
        {
            RowPairs(s, d, t, n, periods, &DiffRow);
        }
    }

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        fixed (float* s = src, d = dst)
        {
            RowPairs(s, d, t, n, periods, kind == ReturnKind.Simple ? &SimpleReturnRow : &LogReturnRow);
        }
    }

    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec)
    {
        KernelSemantics.Validate(src.Length, dst.Length, t, n, spec);
        var required = KernelSemantics.RequiredObservations(op, spec);
        fixed (float* s = src, d = dst)
        {
            switch (op)
            {
                case RollingOp.Sum: Moments<SumMoment>(s, d, t, n, spec, required); break;
                case RollingOp.Mean: Moments<MeanMoment>(s, d, t, n, spec, required); break;
                case RollingOp.Var: Moments<VarMoment>(s, d, t, n, spec, required); break;
                case RollingOp.Std: Moments<StdMoment>(s, d, t, n, spec, required); break;
                case RollingOp.Count: Moments<CountMoment>(s, d, t, n, spec, required); break;
                case RollingOp.Max: ColumnKernel.Run(new RollingExtremaKernel<MaxOperator>(s, d, t, n, spec.Window, required), n); break;
                case RollingOp.Min: ColumnKernel.Run(new RollingExtremaKernel<MinOperator>(s, d, t, n, spec.Window, required), n); break;
                case RollingOp.ArgMin: ColumnKernel.Run(new RollingArgExtremaKernel<MinOperator>(s, d, t, n, spec.Window, required), n); break;
                case RollingOp.ArgMax: ColumnKernel.Run(new RollingArgExtremaKernel<MaxOperator>(s, d, t, n, spec.Window, required), n); break;
                case RollingOp.Quantile: FloatColumnKernel.Run(new SortedWindowKernel(s, d, t, n, spec.Window, required, spec.Quantile), n); break;
                case RollingOp.Rank: FloatColumnKernel.Run(new RollingRankKernel(s, d, t, n, spec.Window, required), n); break;
                case RollingOp.Skew: WindowScanKernel.Run<SkewWindow>(s, d, t, n, spec, required); break;
                case RollingOp.Kurt: WindowScanKernel.Run<KurtWindow>(s, d, t, n, spec, required); break;
                case RollingOp.Slope: Regression<SlopeRegression>(s, d, t, n, spec, required); break;
                case RollingOp.Rsquare: Regression<RsquareRegression>(s, d, t, n, spec, required); break;
                case RollingOp.Resi: Regression<ResiRegression>(s, d, t, n, spec, required); break;
                case RollingOp.Wma: WindowScanKernel.Run<WmaWindow>(s, d, t, n, spec, required); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown rolling operation.");
            }
        }
    }

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec)
    {
        KernelSemantics.Validate(a.Length, dst.Length, t, n, spec);
        KernelSemantics.ValidateShape(b.Length, dst.Length, t, n);
        var required = Math.Max(spec.EffectiveMinPeriods, KernelSemantics.MinimumObservations(op, spec.Ddof));
        fixed (float* pa = a, pb = b, d = dst)
        {
            if (op == RollingPairOp.Cov)
            {
                ColumnKernel.Run(new RollingCoMomentKernel<CovCoMoment>(pa, pb, d, t, n, spec.Window, required, spec.Ddof), n);
            }
            else
            {
                ColumnKernel.Run(new RollingCoMomentKernel<CorrCoMoment>(pa, pb, d, t, n, spec.Window, required, spec.Ddof), n);
            }
        }
    }

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        KernelSemantics.Validate(spec);
        fixed (float* s = src, d = dst)
        {
            ColumnKernel.Run(new EwmKernel(s, d, t, n, spec), n);
        }
    }

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        fixed (float* s = src, d = dst)
        {
            ColumnKernel.Run(new RsiKernel(s, d, t, n, period), n);
        }
    }

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        KernelSemantics.Validate(spec);
        if (!mask.IsEmpty && mask.Length != src.Length)
        {
            throw new ArgumentException($"The membership mask holds {mask.Length} values; shape [{t}, {n}] needs {src.Length}, or pass an empty mask for 'every symbol'.", nameof(mask));
        }

        fixed (float* s = src, d = dst)
        fixed (bool* m = mask)
        {
            CrossSectionalKernel.Run(op, s, mask.IsEmpty ? null : m, d, t, n, spec);
        }
    }

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0)
    {
        KernelSemantics.ValidateShape(src.Length, dst.Length, t, n);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        fixed (float* s = src, d = dst)
        {
            var ps = s;
            var pd = d;
            ColumnBlocks.For(n, (first, count) =>
            {
                var age = new int[count];
                for (var i = 0; i < t; i++)
                {
                    var row = ps + (long)i * n + first;
                    var outRow = pd + (long)i * n + first;
                    var previous = outRow - n;
                    for (var l = 0; l < count; l++)
                    {
                        var v = row[l];
                        if (float.IsFinite(v))
                        {
                            outRow[l] = v;
                            age[l] = 0;
                        }
                        else
                        {
                            var carried = i > 0 && float.IsFinite(previous[l]) && (limit == 0 || age[l] < limit);
                            outRow[l] = carried ? previous[l] : float.NaN;
                            age[l] = carried ? age[l] + 1 : age[l];
                        }
                    }
                }
            });
        }
    }

    /// <summary>Rolling mean with an explicit min_periods (the interface's shortcut, callable on the class).</summary>
    public void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods) =>
        Rolling(RollingOp.Mean, src, dst, t, n, new RollingSpec(window, minPeriods));

    private static void Moments<TOp>(float* s, float* d, int t, int n, RollingSpec spec, int required)
        where TOp : IMomentOperator =>
        ColumnKernel.Run(new RollingMomentsKernel<TOp>(s, d, t, n, spec.Window, required, spec.Ddof), n);

    private static void Regression<TOp>(float* s, float* d, int t, int n, RollingSpec spec, int required)
        where TOp : IRegressionOperator =>
        ColumnKernel.Run(new RollingRegressionKernel<TOp>(s, d, t, n, spec.Window, required), n);

    /// <summary>For every row i with i − periods in range, calls body(row i, row i − periods, output row i); NaN elsewhere.</summary>
    private static void RowPairs(float* src, float* dst, int t, int n, int periods, delegate*<float*, float*, float*, int, void> body)
    {
        var s = src;
        var d = dst;
        ColumnBlocks.ForRows(t, Math.Max(64, t / (4 * Environment.ProcessorCount) + 1), (first, rows) =>
        {
            for (var i = first; i < first + rows; i++)
            {
                var from = (long)i - periods;
                if (from < 0 || from >= t)
                {
                    new Span<float>(d + (long)i * n, n).Fill(float.NaN);
                }
                else
                {
                    body(s + (long)i * n, s + from * n, d + (long)i * n, n);
                }
            }
        });
    }

    private static void CopyRow(float* now, float* then, float* outRow, int n) =>
        new ReadOnlySpan<float>(then, n).CopyTo(new Span<float>(outRow, n));

    private static void DiffRow(float* now, float* then, float* outRow, int n) =>
        TensorPrimitives.Subtract(new ReadOnlySpan<float>(now, n), new ReadOnlySpan<float>(then, n), new Span<float>(outRow, n));

    // Returns divide in float64 and round once (KernelSemantics): a float32 quotient can differ by an ulp, which is
    // enough to swap two symbols in a cross-sectional rank.
    internal static void SimpleReturnRow(float* now, float* then, float* outRow, int n)
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // Any width gives the same bits: each quotient is the correctly rounded float64 division.
            var one = Vector512.Create(1.0);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var (nowLo, nowHi) = Vector512.Widen(Vector512.Load(now + j));
                var (thenLo, thenHi) = Vector512.Widen(Vector512.Load(then + j));
                Vector512.Narrow(nowLo / thenLo - one, nowHi / thenHi - one).Store(outRow + j);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1.0);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var (nowLo, nowHi) = Vector256.Widen(Vector256.Load(now + j));
                var (thenLo, thenHi) = Vector256.Widen(Vector256.Load(then + j));
                Vector256.Narrow(nowLo / thenLo - one, nowHi / thenHi - one).Store(outRow + j);
            }
        }

        for (; j < n; j++)
        {
            outRow[j] = (float)((double)now[j] / then[j] - 1.0);
        }
    }

    private static void LogReturnRow(float* now, float* then, float* outRow, int n)
    {
        for (var j = 0; j < n; j++)
        {
            outRow[j] = (float)Math.Log((double)now[j] / then[j]);
        }
    }

    private static void RequireSameLength(int input, int output)
    {
        if (input != output)
        {
            throw new ArgumentException($"Element-wise buffers must have the same length; got {input} and {output}.");
        }
    }
}
