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
