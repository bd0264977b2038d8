using QuantPipeline.Core.Interop;

namespace QuantPipeline.Core.Compute;

/// <summary>Kernels in libqpnative (C++, AVX-512/AVX2 chosen at load time).</summary>
public sealed class NativeBackend : IComputeBackend
{
    private static readonly Lazy<NativeBackend> Shared = new(() =>
    {
        int abi;
        try
        {
            abi = NativeMethods.AbiVersion();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                "libqpnative.so was not found next to the application. It is built from native/ by 'dotnet build'; rebuild, or choose the managed backend.", e);
        }

        if (abi != NativeMethods.ExpectedAbiVersion)
        {
            throw new InvalidOperationException($"libqpnative ABI version {abi} does not match the expected {NativeMethods.ExpectedAbiVersion}; rebuild the solution.");
        }

        return new NativeBackend();
    });

    private NativeBackend()
    {
    }

    public static NativeBackend Instance => Shared.Value;

    public string Name => "native";

    public unsafe void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst)
    {
        BackendGuards.SameLength(x.Length, dst.Length, "unary");
        fixed (float* px = x)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.UnaryF32((int)op, px, d, x.Length), $"unary {op}");
        }
    }

    public unsafe void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        BackendGuards.SameLength(a.Length, b.Length, "binary");
        BackendGuards.SameLength(a.Length, dst.Length, "binary");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.BinaryF32((int)op, pa, pb, d, a.Length), $"binary {op}");
        }
    }

    public unsafe void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        BackendGuards.SameLength(cond.Length, a.Length, "where");
        BackendGuards.SameLength(a.Length, b.Length, "where");
        BackendGuards.SameLength(a.Length, dst.Length, "where");
        fixed (float* pc = cond)
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.WhereF32(pc, pa, pb, d, a.Length), "where");
        }
    }

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Shifted(0, src, dst, t, n, periods, "shift");

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Shifted(1, src, dst, t, n, periods, "diff");

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind) =>
        Shifted(kind == ReturnKind.Simple ? 2 : 3, src, dst, t, n, periods, "returns");

    public unsafe void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec)
    {
        BackendGuards.Rolling(src.Length, dst.Length, t, n, spec, $"rolling {op}");
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(
                NativeMethods.RollingF32((int)op, s, d, t, n, spec.Window, spec.EffectiveMinPeriods, spec.Ddof, spec.Quantile), $"rolling {op}");
        }
    }

    public unsafe void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec)
    {
        BackendGuards.SameLength(a.Length, b.Length, $"rolling {op}");
        BackendGuards.Rolling(a.Length, dst.Length, t, n, spec, $"rolling {op}");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* d = dst)
        {
            NativeMethods.Check(
                NativeMethods.RollingPairF32((int)op, pa, pb, d, t, n, spec.Window, spec.EffectiveMinPeriods, spec.Ddof), $"rolling {op}");
        }
    }

    public unsafe void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "ewm");
        BackendGuards.Ewm(spec);
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.EwmF32(s, d, t, n, spec.Alpha, spec.Adjust ? 1 : 0, spec.MinPeriods), "ewm");
        }
    }

    public unsafe void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "rsi");
        BackendGuards.Period(period, "rsi");
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.RsiF32(s, d, t, n, period), "rsi");
        }
    }

    public unsafe void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, $"cross-sectional {op}");
        BackendGuards.CrossSectional(mask.Length, src.Length, spec);
        fixed (float* s = src)
        fixed (bool* m = mask)
        fixed (float* d = dst)
        {
            var bytes = mask.IsEmpty ? null : (byte*)m;
            NativeMethods.Check(NativeMethods.CrossSectionalF32((int)op, s, bytes, d, t, n, spec.Lower, spec.Upper, spec.Ddof), $"cross-sectional {op}");
        }
    }

    public unsafe void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "fill-forward");
        BackendGuards.Limit(limit);
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.FillForwardF32(s, d, t, n, limit), "fill-forward");
        }
    }

    public unsafe void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods)
    {
        KernelSemantics.Validate(src.Length, dst.Length, t, n, window, minPeriods);
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.RollingMeanF32(s, d, t, n, window, minPeriods), "rolling mean");
        }
    }

    /// <summary>
    /// The F8 feature set fused in libqpnative (one threaded sweep along time per block of symbols, then the
    /// cross-sectional rank), into ten pinned [t, n] buffers; the same values as the managed fused kernel.
    /// </summary>
    internal unsafe void IntradayF8(float* close, float* volume, bool* membership, float** outputs, int t, int n, int window, int rsiPeriod, double ewmAlpha, bool streaming) =>
        NativeMethods.Check(NativeMethods.IntradayF8F32(close, volume, (byte*)membership, outputs, t, n, window, rsiPeriod, ewmAlpha, streaming ? 1 : 0), "F8");

    private unsafe void Shifted(int kind, ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, string what)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, what);
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.ShiftedF32(kind, s, d, t, n, periods), what);
        }
    }
}
