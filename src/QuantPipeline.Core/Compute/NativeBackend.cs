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

    // Kernels not yet in libqpnative run on the managed backend, with identical semantics; the native kernels
    // replace these forwarders one by one.
    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst) => ManagedBackend.Instance.Unary(op, x, dst);

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => ManagedBackend.Instance.Binary(op, a, b, dst);

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst) => ManagedBackend.Instance.Where(cond, a, b, dst);

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => ManagedBackend.Instance.Shift(src, dst, t, n, periods);

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => ManagedBackend.Instance.Diff(src, dst, t, n, periods);

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind) => ManagedBackend.Instance.Returns(src, dst, t, n, periods, kind);

    // The foundation's qp_rolling_mean_f32 keeps a plain running sum and loses a 1e17 value leaving the window, so
    // Rolling(Mean) also runs on the managed kernels until the native kernels carry the recompute trigger.
    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec) =>
        ManagedBackend.Instance.Rolling(op, src, dst, t, n, spec);

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec) =>
        ManagedBackend.Instance.RollingPair(op, a, b, dst, t, n, spec);

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec) => ManagedBackend.Instance.Ewm(src, dst, t, n, spec);

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period) => ManagedBackend.Instance.Rsi(src, dst, t, n, period);

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec) =>
        ManagedBackend.Instance.CrossSectional(op, src, mask, dst, t, n, spec);

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0) => ManagedBackend.Instance.FillForward(src, dst, t, n, limit);

    public unsafe void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods)
    {
        KernelSemantics.Validate(src.Length, dst.Length, t, n, window, minPeriods);
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            NativeMethods.Check(NativeMethods.RollingMeanF32(s, d, t, n, window, minPeriods), "rolling mean");
        }
    }
}
