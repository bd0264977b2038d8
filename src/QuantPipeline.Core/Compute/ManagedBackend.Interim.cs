namespace QuantPipeline.Core.Compute;

/// <summary>
/// Kernels of the managed backend other than the rolling mean, served by the native library until the managed
/// SIMD kernels replace this file.
/// </summary>
public sealed partial class ManagedBackend
{
    private static IComputeBackend Kernels => NativeBackend.Instance;

    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst) => Kernels.Unary(op, x, dst);

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => Kernels.Binary(op, a, b, dst);

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => Kernels.Where(cond, a, b, dst);

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Kernels.Shift(src, dst, t, n, periods);

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Kernels.Diff(src, dst, t, n, periods);

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind) => Kernels.Returns(src, dst, t, n, periods, kind);

    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec) => Kernels.Rolling(op, src, dst, t, n, spec);

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec) =>
        Kernels.RollingPair(op, a, b, dst, t, n, spec);

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec) => Kernels.Ewm(src, dst, t, n, spec);

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period) => Kernels.Rsi(src, dst, t, n, period);

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec) =>
        Kernels.CrossSectional(op, src, mask, dst, t, n, spec);

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0) => Kernels.FillForward(src, dst, t, n, limit);
}
