using System.Runtime.InteropServices;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Managed;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Core.Features;

/// <summary>
/// The F8 intraday feature set of benchmark W1 (window 30) for close c and volume v, on any backend:
/// ret_1, ma_ratio_30 = mean(c)/c − 1, vol_30 = std(ret_1), z_close_30, ewma_ret_hl20, max_ratio_30 = max(c)/c,
/// min_ratio_30 = min(c)/c, z_volume_30, xs_rank_ret_30 (cross-sectional percentile rank of c/c[−30] − 1) and rsi_14.
/// Rolling statistics use the default min_periods (= window) and ddof = 1.
/// </summary>
public static class IntradayF8
{
    public const int Window = 30;
    public const int RsiPeriod = 14;
    public const double EwmHalfLife = 20;

    public static readonly string[] Names =
        ["ret_1", "ma_ratio_30", "vol_30", "z_close_30", "ewma_ret_hl20", "max_ratio_30", "min_ratio_30", "z_volume_30", "xs_rank_ret_30", "rsi_14"];

    /// <summary>Bars of history the first complete value needs (the 30-bar std of a 1-bar return).</summary>
    public const int Lookback = Window + 1;

    /// <summary>Adds the ten features to a panel holding "close" and "volume" (membership masks the rank).</summary>
    public static void Compute(Panel panel, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(backend);
        var outputs = Names.Select(_ => new float[panel.T * panel.N]).ToArray();
        if (backend is ManagedBackend or NativeBackend)
        {
            ComputeFused(backend, panel.Field("close"), panel.Field("volume"), panel.Membership, panel.T, panel.N, outputs);
        }
        else
        {
            using var workspace = new Workspace(panel.T, panel.N);
            ComputePerKernel(backend, panel.Field("close"), panel.Field("volume"), panel.Membership, panel.T, panel.N, outputs, workspace);
        }

        for (var f = 0; f < Names.Length; f++)
        {
            panel.SetField(Names[f], outputs[f]);
        }
    }

    /// <summary>
    /// Computes the ten features into <paramref name="outputs"/> (in <see cref="Names"/> order, each [t, n]). On the
    /// managed and native backends this is their fused kernel (<see cref="ComputeFused(IComputeBackend, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{bool}, int, int, float[][])"/>);
    /// other backends run the per-kernel composition (<see cref="ComputePerKernel"/>), using <paramref name="workspace"/>
    /// for intermediates, so repeated calls allocate nothing.
    /// </summary>
    public static void Compute(IComputeBackend backend, ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend is ManagedBackend or NativeBackend)
        {
            ComputeFused(backend, close, volume, membership, t, n, outputs);
        }
        else
        {
            ComputePerKernel(backend, close, volume, membership, t, n, outputs, workspace);
        }
    }

    /// <summary>
    /// The managed fused kernel: one sweep along time per column block writes the nine time-series features with all
    /// rolling state in float64 lanes, then the 30-bar return is ranked across symbols in place. Same semantics as
    /// <see cref="ComputePerKernel"/> on any backend; needs no workspace.
    /// </summary>
    public static void ComputeFused(ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs) =>
        ComputeFused(ManagedBackend.Instance, close, volume, membership, t, n, outputs);

    /// <summary>
    /// The fused kernel of <paramref name="backend"/>: the managed one (<see cref="IntradayF8Kernel"/>) or libqpnative's
    /// <c>qp_intraday_f8_f32</c>, which computes the same values bit for bit (same float64 operations in the same
    /// order). Other backends have none: use <see cref="ComputePerKernel"/>.
    /// </summary>
    public static void ComputeFused(IComputeBackend backend, ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs) =>
        ComputeFused(backend, close, volume, membership, t, n, outputs, F8Stores.Auto);

    /// <summary>
    /// Output cells from which the fused kernels write with non-temporal stores (<see cref="F8Stores.Auto"/>): ten
    /// outputs of 2^20 cells are 40 MiB, more than this machine class's last-level cache, so their lines would be
    /// evicted before anyone reads them and reading them in first (for ownership) only costs bandwidth.
    /// </summary>
    internal const long StreamingCells = 1L << 20;

    private static readonly AsyncLocal<bool?> PipelineChoice = new();

    /// <summary>
    /// For tests: force the managed time-chunk pipeline on or off (null: on exactly when streaming) for calls made on
    /// this async flow only, so a test that flips it cannot change the kernel another test class runs meanwhile.
    /// </summary>
    internal static bool? PipelineOverride
    {
        get => PipelineChoice.Value;
        set => PipelineChoice.Value = value;
    }

    /// <summary>As the public overload, with the store policy explicit (tests run both on small shapes).</summary>
    internal static unsafe void ComputeFused(IComputeBackend backend, ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs, F8Stores stores)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend is not (ManagedBackend or NativeBackend))
        {
            throw new ArgumentException($"The {backend.Name} backend has no fused F8 kernel; call ComputePerKernel.", nameof(backend));
        }

        ValidateCall(close, volume, membership, t, n, outputs);
        var handles = new GCHandle[outputs.Length];
        var pointers = stackalloc float*[outputs.Length];
        try
        {
            for (var f = 0; f < outputs.Length; f++)
            {
                handles[f] = GCHandle.Alloc(outputs[f], GCHandleType.Pinned);
                pointers[f] = (float*)handles[f].AddrOfPinnedObject();
            }

            fixed (float* c = close, v = volume)
            fixed (bool* m = membership)
            {
                var streaming = stores == F8Stores.Streaming || (stores == F8Stores.Auto && (long)t * n >= StreamingCells);
                if (backend is NativeBackend native)
                {
                    native.IntradayF8(c, v, membership.IsEmpty ? null : m, pointers, t, n, Window, RsiPeriod, EwmSpec.FromHalfLife(EwmHalfLife).Alpha, streaming);
                    return;
                }

                var kernel = new IntradayF8Kernel(c, v, pointers, t, n, Window, RsiPeriod, EwmSpec.FromHalfLife(EwmHalfLife).Alpha, streaming);
                var rank = pointers[8];
                if (PipelineOverride ?? streaming)
                {
                    // Large panels: the rank of finished time chunks overlaps the sweep instead of following it.
                    IntradayF8Pipeline.Run(kernel, rank, membership.IsEmpty ? null : m, t, n, Environment.ProcessorCount);
                    return;
                }

                ColumnKernel.Run(kernel, n, FusedBlockWidth);
                CrossSectionalKernel.Run(CrossSectionalOp.Rank, rank, membership.IsEmpty ? null : m, rank, t, n, new CrossSectionalSpec());
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    /// <summary>
    /// Computes the ten features as a composition of the backend's kernels (~20 passes), for any backend; the
    /// cross-check of <see cref="ComputeFused(IComputeBackend, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{bool}, int, int, float[][])"/>.
    /// </summary>
    public static void ComputePerKernel(IComputeBackend backend, ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs, Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(workspace);
        ValidateCall(close, volume, membership, t, n, outputs);
        workspace.Require(t, n);
        var spec = new RollingSpec(Window);
        Span<float> mean = workspace.A, std = workspace.B, scratch = workspace.C;

        var ret1 = outputs[0];
        backend.Returns(close, ret1, t, n, 1, ReturnKind.Simple);

        // mean(c)/c − 1 = (mean − c)/c and z = (c − mean)/std share the rolling moments of c.
        backend.Rolling(RollingOp.Mean, close, mean, t, n, spec);
        backend.Rolling(RollingOp.Std, close, std, t, n, spec);
        backend.Binary(BinaryOp.Sub, mean, close, scratch);
        backend.Binary(BinaryOp.Div, scratch, close, outputs[1]);
        backend.Binary(BinaryOp.Sub, close, mean, scratch);
        backend.Binary(BinaryOp.Div, scratch, std, outputs[3]);

        backend.Rolling(RollingOp.Std, ret1, outputs[2], t, n, spec);
        backend.Ewm(ret1, outputs[4], t, n, EwmSpec.FromHalfLife(EwmHalfLife));

        backend.Rolling(RollingOp.Max, close, scratch, t, n, spec);
        backend.Binary(BinaryOp.Div, scratch, close, outputs[5]);
        backend.Rolling(RollingOp.Min, close, scratch, t, n, spec);
        backend.Binary(BinaryOp.Div, scratch, close, outputs[6]);

        backend.Rolling(RollingOp.Mean, volume, mean, t, n, spec);
        backend.Rolling(RollingOp.Std, volume, std, t, n, spec);
        backend.Binary(BinaryOp.Sub, volume, mean, scratch);
        backend.Binary(BinaryOp.Div, scratch, std, outputs[7]);

        backend.Returns(close, scratch, t, n, Window, ReturnKind.Simple);
        backend.CrossSectional(CrossSectionalOp.Rank, scratch, membership, outputs[8], t, n, new CrossSectionalSpec());

        backend.Rsi(close, outputs[9], t, n, RsiPeriod);
    }

    /// <summary>
    /// Symbols per column block of the fused kernel on panels below <see cref="StreamingCells"/> (larger ones run
    /// <see cref="IntradayF8Pipeline"/> with blocks of 512). Its state (23 float64 per symbol, 47 KB) and the extrema
    /// suffixes (60 KB) stay in L1/L2, and several blocks per core keep the cores balanced.
    /// </summary>
    private const int FusedBlockWidth = 256;

    private static void ValidateCall(ReadOnlySpan<float> close, ReadOnlySpan<float> volume, ReadOnlySpan<bool> membership, int t, int n, float[][] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        KernelSemantics.ValidateShape(close.Length, volume.Length, t, n);
        if (outputs.Length != Names.Length || outputs.Any(o => o is null || o.Length != t * n))
        {
            throw new ArgumentException($"F8 needs {Names.Length} output buffers of {t}×{n} values.", nameof(outputs));
        }

        if (!membership.IsEmpty && membership.Length != close.Length)
        {
            throw new ArgumentException($"The membership mask holds {membership.Length} values; shape [{t}, {n}] needs {close.Length}, or pass an empty mask for 'every symbol'.", nameof(membership));
        }
    }

    /// <summary>Three [t, n] intermediate buffers, reusable across calls of the same or smaller shape.</summary>
    public sealed class Workspace : IDisposable
    {
        private float[] _a;
        private float[] _b;
        private float[] _c;

        public Workspace(int t, int n)
        {
            _a = new float[t * n];
            _b = new float[t * n];
            _c = new float[t * n];
        }

        internal Span<float> A => _a.AsSpan(0, Length);

        internal Span<float> B => _b.AsSpan(0, Length);

        internal Span<float> C => _c.AsSpan(0, Length);

        private int Length { get; set; }

        internal void Require(int t, int n)
        {
            Length = t * n;
            if (_a.Length < Length)
            {
                _a = new float[Length];
                _b = new float[Length];
                _c = new float[Length];
            }
        }

        public void Dispose()
        {
            _a = _b = _c = [];
        }
    }
}

/// <summary>How the fused F8 kernels write their outputs. Both policies give the same values.</summary>
internal enum F8Stores
{
    /// <summary>Streaming from <see cref="IntradayF8.StreamingCells"/> cells up, cached below.</summary>
    Auto,

    /// <summary>Ordinary stores: the outputs stay in the cache for a consumer that reads them soon.</summary>
    Cached,

    /// <summary>Non-temporal stores for every whole cache line of a row.</summary>
    Streaming,
}
