using ILGPU;
using ILGPU.Runtime;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>Kernels of one accelerator, each compiled on first use and then reused.</summary>
internal sealed class GpuKernelCache(Accelerator accelerator)
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams>? unary;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams>? binary;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? where;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams>? shifted;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams>? rolling;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams>? rollingPair;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams>? ewm;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams>? rsi;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams>? fillForward;
    private Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, ArrayView<float>, ArrayView<int>, GpuKernelParams>? crossSectional;

    private Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams>? crossSectionalRank;

    private Action<KernelConfig, ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams>? crossSectionalRankSorted;

    private Action<Index1D, ArrayView<float>, ArrayView<double>, GpuKernelParams>? ewmChunkSummary;
    private Action<Index1D, ArrayView<double>, ArrayView<double>, GpuKernelParams>? ewmChunkCarry;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<double>, GpuKernelParams>? ewmChunkApply;

    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams>? f8Rolling;

    private Action<Index1D, ArrayView<float>, ArrayView<int>, SweepShape>? sweepOrderCount;
    private Action<KernelConfig, ArrayView<float>, ArrayView<int>, SweepShape>? sweepOrderSorted;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<double>, ArrayView<SweepVariant>, ArrayView<double>, ArrayView<double>, SweepShape>? sweepBookPass;

    private readonly Lock gate = new();

    public Action<Index1D, ArrayView<float>, ArrayView<int>, SweepShape> SweepOrderCount
    {
        get
        {
            lock (gate)
            {
                sweepOrderCount ??= accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, SweepShape>(GpuKernels.SweepOrderCount);
                return sweepOrderCount;
            }
        }
    }

    public Action<KernelConfig, ArrayView<float>, ArrayView<int>, SweepShape> SweepOrderSorted
    {
        get
        {
            lock (gate)
            {
                // Explicitly grouped: the group sorts its row in shared memory.
                sweepOrderSorted ??= accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, SweepShape>(GpuKernels.SweepOrderSorted);
                return sweepOrderSorted;
            }
        }
    }

    public Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<double>, ArrayView<SweepVariant>, ArrayView<double>, ArrayView<double>, SweepShape> SweepBookPass
    {
        get
        {
            lock (gate)
            {
                // Explicitly grouped: one group per variant, its threads share the bar's sums.
                sweepBookPass ??= accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<double>, ArrayView<SweepVariant>, ArrayView<double>, ArrayView<double>, SweepShape>(GpuKernels.SweepBookPass);
                return sweepBookPass;
            }
        }
    }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> F8Rolling => Load(ref f8Rolling, GpuKernels.F8Rolling);

    public Action<Index1D, ArrayView<float>, ArrayView<double>, GpuKernelParams> EwmChunkSummary => Load(ref ewmChunkSummary, GpuKernels.EwmChunkSummary);

    public Action<Index1D, ArrayView<double>, ArrayView<double>, GpuKernelParams> EwmChunkCarry => Load(ref ewmChunkCarry, GpuKernels.EwmChunkCarry);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<double>, GpuKernelParams> EwmChunkApply => Load(ref ewmChunkApply, GpuKernels.EwmChunkApply);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> Unary => Load(ref unary, GpuKernels.Unary);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> Binary => Load(ref binary, GpuKernels.Binary);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> Where => Load(ref where, GpuKernels.Where);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> Shifted => Load(ref shifted, GpuKernels.Shifted);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> Rolling => Load(ref rolling, GpuKernels.Rolling);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> RollingPair => Load(ref rollingPair, GpuKernels.RollingPair);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> Ewm => Load(ref ewm, GpuKernels.Ewm);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> Rsi => Load(ref rsi, GpuKernels.Rsi);

    public Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> FillForward => Load(ref fillForward, GpuKernels.FillForward);

    public Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, ArrayView<float>, ArrayView<int>, GpuKernelParams> CrossSectional =>
        Load(ref crossSectional, GpuKernels.CrossSectional);

    public Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams> CrossSectionalRank =>
        Load(ref crossSectionalRank, GpuKernels.CrossSectionalRank);

    public Action<KernelConfig, ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams> CrossSectionalRankSorted
    {
        get
        {
            lock (gate)
            {
                // An explicitly grouped kernel: its group shares the row in shared memory.
                crossSectionalRankSorted ??= accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams>(GpuKernels.CrossSectionalRankSorted);
                return crossSectionalRankSorted;
            }
        }
    }

    private T Load<T>(ref T? slot, T kernel)
        where T : Delegate
    {
        lock (gate)
        {
            slot ??= Compile(kernel);
            return slot;
        }
    }

    private T Compile<T>(T kernel)
        where T : Delegate => kernel switch
    {
        Action<Index1D, ArrayView<float>, ArrayView<float>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, ArrayView<float>, ArrayView<int>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<byte>, ArrayView<float>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<double>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<double>, ArrayView<double>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<double>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GpuKernelParams> k =>
            (T)(Delegate)accelerator.LoadAutoGroupedStreamKernel(k),
        _ => throw new ArgumentException($"No loader for kernel type {typeof(T)}.", nameof(kernel)),
    };
}
