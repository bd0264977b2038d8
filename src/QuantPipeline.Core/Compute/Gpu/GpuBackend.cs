using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// ILGPU kernels: CUDA when an NVIDIA device and driver are present, otherwise ILGPU's CPU accelerator (which
/// runs the same kernels, slowly, and is what the test suite uses). Kernels compile once per accelerator, on
/// first use, and are cached. The span methods copy to the device and back; the <see cref="ArrayView{T}"/>
/// overloads work on device-resident buffers so a chain of kernels pays for transfers once.
/// </summary>
public sealed class GpuBackend : IComputeBackend, IDisposable
{
    private readonly Context context;
    private readonly Accelerator accelerator;
    private readonly GpuKernelCache kernels;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> noMask;
    private readonly Lock scanGate = new();
    private MemoryBuffer1D<double, Stride1D.Dense>? scanScratch;

    /// <param name="forceCpu">Use ILGPU's CPU accelerator even when CUDA is available (tests, debugging).</param>
    /// <param name="log">Receives one line naming the device chosen; null writes nowhere.</param>
    public GpuBackend(bool forceCpu = false, Action<string>? log = null)
    {
        context = Context.Create(builder => builder.CPU().Cuda().EnableAlgorithms());
        Device? cuda = forceCpu ? null : context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda);
        string fallbackReason = forceCpu ? "forced" : "no CUDA device found";
        Accelerator? chosen = null;
        if (cuda is not null)
        {
            try
            {
                chosen = cuda.CreateAccelerator(context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A device the driver lists but ILGPU cannot open (unsupported architecture, driver mismatch)
                // must not take the process down: say why and run the same kernels on the CPU.
                fallbackReason = $"CUDA device '{cuda.Name}' could not be opened: {e.Message}";
            }
        }

        accelerator = chosen ?? context.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel);
        IsCuda = accelerator.AcceleratorType == AcceleratorType.Cuda;
        DeviceDescription = IsCuda
            ? $"CUDA: {accelerator.Name}, {accelerator.MemorySize / (1024 * 1024)} MiB"
            : $"ILGPU CPU accelerator ({fallbackReason})";
        kernels = new GpuKernelCache(accelerator);
        noMask = accelerator.Allocate1D<byte>(1);

        // A GPU wants ~100k threads in flight; n symbols alone give a few thousand, so rolling kernels split
        // time into chunks. 128 rows keep the window − 1 rows of lookback each chunk re-reads a modest share
        // (from cache) at the usual windows. The CPU accelerator uses short chunks so that tests at small
        // shapes cross chunk boundaries.
        ChunkRows = IsCuda ? 128 : 16;
        SharedMemoryRank = IsCuda;
        log?.Invoke($"gpu backend: {DeviceDescription}");
    }

    public string Name => "gpu";

    /// <summary>True when kernels run on an NVIDIA GPU rather than ILGPU's CPU accelerator.</summary>
    public bool IsCuda { get; }

    /// <summary>The accelerator in words, for logs.</summary>
    public string DeviceDescription { get; }

    /// <summary>
    /// Rows of time one thread of a rolling kernel produces (it re-reads window − 1 rows before them); any
    /// value gives the same results. Values below 1 mean one thread per symbol over all rows.
    /// </summary>
    public int ChunkRows { get; set; }

    /// <summary>
    /// Rank by sorting each row in shared memory (one thread group per timestamp) rather than by counting per
    /// cell. The default is on for CUDA; off for the CPU accelerator, which emulates group barriers slowly.
    /// </summary>
    public bool SharedMemoryRank { get; set; }

    /// <summary>The accelerator, for callers that keep buffers on the device.</summary>
    public Accelerator Accelerator => accelerator;

    /// <summary>The compiled kernels, for device work that lives outside this class (the backtest sweep).</summary>
    internal GpuKernelCache Kernels => kernels;

    /// <summary>Waits for every queued kernel and copy to finish.</summary>
    public void Synchronize() => accelerator.Synchronize();

    /// <summary>Allocates a device buffer of <paramref name="length"/> float32 cells.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Allocate(long length) => accelerator.Allocate1D<float>(length);

    public void Dispose()
    {
        noMask.Dispose();
        scanScratch?.Dispose();
        accelerator.Dispose();
        context.Dispose();
    }

    // ---- span API: copy in, run, copy out ----

    public void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst)
    {
        BackendGuards.SameLength(x.Length, dst.Length, "unary");
        if (dst.IsEmpty)
        {
            return;
        }

        using var a = Upload(x);
        using var d = Allocate(dst.Length);
        Unary(op, a.View, d.View);
        Download(d, dst);
    }

    public void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        BackendGuards.SameLength(a.Length, b.Length, "binary");
        BackendGuards.SameLength(a.Length, dst.Length, "binary");
        if (dst.IsEmpty)
        {
            return;
        }

        using var da = Upload(a);
        using var db = Upload(b);
        using var d = Allocate(dst.Length);
        Binary(op, da.View, db.View, d.View);
        Download(d, dst);
    }

    public void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst)
    {
        BackendGuards.SameLength(cond.Length, a.Length, "where");
        BackendGuards.SameLength(a.Length, b.Length, "where");
        BackendGuards.SameLength(a.Length, dst.Length, "where");
        if (dst.IsEmpty)
        {
            return;
        }

        using var dc = Upload(cond);
        using var da = Upload(a);
        using var db = Upload(b);
        using var d = Allocate(dst.Length);
        kernels.Where((int)dst.Length, dc.View, da.View, db.View, d.View);
        Download(d, dst);
    }

    public void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Shifted(0, src, dst, t, n, periods, "shift");

    public void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods) => Shifted(1, src, dst, t, n, periods, "diff");

    public void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind) =>
        Shifted(kind == ReturnKind.Simple ? 2 : 3, src, dst, t, n, periods, "returns");

    public void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec)
    {
        BackendGuards.Rolling(src.Length, dst.Length, t, n, spec, $"rolling {op}");
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var d = Allocate(dst.Length);
        Rolling(op, s.View, d.View, t, n, spec);
        Download(d, dst);
    }

    public void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec)
    {
        BackendGuards.SameLength(a.Length, b.Length, $"rolling {op}");
        BackendGuards.Rolling(a.Length, dst.Length, t, n, spec, $"rolling {op}");
        if (dst.IsEmpty)
        {
            return;
        }

        using var da = Upload(a);
        using var db = Upload(b);
        using var d = Allocate(dst.Length);
        var p = new GpuKernelParams((int)op, t, n, spec.Window, spec.EffectiveMinPeriods, spec.Ddof, 0, 0, 0, ChunkRows);
        kernels.RollingPair(n * p.Chunks, da.View, db.View, d.View, p);
        Download(d, dst);
    }

    public void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "ewm");
        BackendGuards.Ewm(spec);
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var d = Allocate(dst.Length);
        Ewm(s.View, d.View, t, n, spec);
        Download(d, dst);
    }

    public void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "rsi");
        BackendGuards.Period(period, "rsi");
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var d = Allocate(dst.Length);
        Rsi(s.View, d.View, t, n, period);
        Download(d, dst);
    }

    public void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, $"cross-sectional {op}");
        BackendGuards.CrossSectional(mask.Length, src.Length, spec);
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var m = accelerator.Allocate1D<byte>(Math.Max(1, mask.Length));
        if (!mask.IsEmpty)
        {
            HostCopies.Upload(m.View, MemoryMarshal.Cast<bool, byte>(mask));
        }

        using var d = Allocate(dst.Length);
        CrossSectional(op, s.View, mask.IsEmpty ? default : m.View, d.View, t, n, spec);
        Download(d, dst);
    }

    public void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, "fill-forward");
        BackendGuards.Limit(limit);
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var d = Allocate(dst.Length);
        kernels.FillForward(n, s.View, d.View, new GpuKernelParams(0, t, n, limit, 0, 0, 0, 0, 0));
        Download(d, dst);
    }

    // ---- device API: buffers stay on the accelerator; calls are queued, Synchronize() waits ----

    public void Unary(UnaryOp op, ArrayView<float> x, ArrayView<float> dst)
    {
        if (dst.Length > 0)
        {
            kernels.Unary((int)dst.Length, x, dst, new GpuKernelParams((int)op, 0, 0, 0, 0, 0, 0, 0, 0));
        }
    }

    public void Binary(BinaryOp op, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dst)
    {
        if (dst.Length > 0)
        {
            kernels.Binary((int)dst.Length, a, b, dst, new GpuKernelParams((int)op, 0, 0, 0, 0, 0, 0, 0, 0));
        }
    }

    public void Returns(ArrayView<float> src, ArrayView<float> dst, int t, int n, int periods, ReturnKind kind) =>
        LaunchShifted(kind == ReturnKind.Simple ? 2 : 3, src, dst, t, n, periods);

    public void Rolling(RollingOp op, ArrayView<float> src, ArrayView<float> dst, int t, int n, RollingSpec spec)
    {
        BackendGuards.Rolling((int)src.Length, (int)dst.Length, t, n, spec, $"rolling {op}");
        if (n == 0 || t == 0)
        {
            return;
        }

        var p = new GpuKernelParams((int)op, t, n, spec.Window, spec.EffectiveMinPeriods, spec.Ddof, spec.Quantile, 0, 0, ChunkRows);
        var threads = n * p.Chunks;
        if (op == RollingOp.Quantile)
        {
            // Each thread sorts its window in its own column of the scratch buffer.
            using var scratch = Allocate((long)spec.Window * threads);
            kernels.Rolling(threads, src, dst, scratch.View, p);
            accelerator.Synchronize();
        }
        else
        {
            kernels.Rolling(threads, src, dst, dst, p);
        }
    }

    public void Ewm(ArrayView<float> src, ArrayView<float> dst, int t, int n, EwmSpec spec)
    {
        if (n > 0 && t > 0)
        {
            var p = new GpuKernelParams(0, t, n, 0, spec.MinPeriods, 0, spec.Alpha, 0, spec.Adjust ? 1 : 0, ChunkRows);
            if (ChunkRows > 0)
            {
                ChunkedScan(src, dst, p, states: 1);
            }
            else
            {
                kernels.Ewm(n, src, dst, p);
            }
        }
    }

    public void Rsi(ArrayView<float> src, ArrayView<float> dst, int t, int n, int period)
    {
        if (n > 0 && t > 0)
        {
            if (ChunkRows > 0)
            {
                ChunkedScan(src, dst, new GpuKernelParams(1, t, n, period, 0, 0, 1.0 / period, 0, 0, ChunkRows), states: 2);
            }
            else
            {
                kernels.Rsi(n, src, dst, new GpuKernelParams(0, t, n, period, 0, 0, 0, 0, 0));
            }
        }
    }

    /// <summary>
    /// W1's F8 rolling items fused into one pass over close and volume (window <paramref name="window"/>,
    /// min_periods = window, ddof 1). <paramref name="outputs"/> holds ten stacked t·n panels in F8's order;
    /// this writes items 1 (1-bar return), 2 (mean(c)/c − 1), 3 (std of returns), 4 (z-score of c),
    /// 6 (max(c)/c), 7 (min(c)/c) and 8 (z-score of v), each equal to the chain of separate calls, and the
    /// return over <paramref name="window"/> bars into <paramref name="windowReturn"/> for the rank (item 9).
    /// Items 5 and 10 are <see cref="Ewm(ArrayView{float}, ArrayView{float}, int, int, EwmSpec)"/> of item 1
    /// and <see cref="Rsi(ArrayView{float}, ArrayView{float}, int, int, int)"/> of c.
    /// </summary>
    public void F8Rolling(ArrayView<float> close, ArrayView<float> volume, ArrayView<float> outputs, ArrayView<float> windowReturn, int t, int n, int window)
    {
        var cells = (long)t * n;
        if (close.Length != cells || volume.Length != cells || windowReturn.Length != cells || outputs.Length != 10 * cells)
        {
            throw new ArgumentException($"F8: close, volume and the window return need t·n = {cells} cells and the outputs 10·t·n; got {close.Length}, {volume.Length}, {windowReturn.Length} and {outputs.Length}.", nameof(outputs));
        }

        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"F8: window must be at least 1, got {window}.");
        }

        if (cells > 0)
        {
            var p = new GpuKernelParams(0, t, n, window, window, 1, 0, 0, 0, ChunkRows);
            kernels.F8Rolling(n * p.Chunks, close, volume, outputs, windowReturn, p);
        }
    }

    /// <param name="mask">Membership as bytes (0 = not a member), or an empty view for "every symbol".</param>
    public void CrossSectional(CrossSectionalOp op, ArrayView<float> src, ArrayView<byte> mask, ArrayView<float> dst, int t, int n, CrossSectionalSpec spec)
    {
        if (t == 0 || n == 0)
        {
            return;
        }

        var hasMask = mask.Length > 0;
        var p = new GpuKernelParams((int)op, t, n, 0, 0, spec.Ddof, spec.Lower, spec.Upper, hasMask ? 1 : 0);
        if (op == CrossSectionalOp.Rank)
        {
            if (SharedMemoryRank && n <= GpuKernels.RankRowCapacity)
            {
                // One group per timestamp sorts its row in shared memory.
                var group = Math.Min(accelerator.MaxNumThreadsPerGroup, 512);
                kernels.CrossSectionalRankSorted(new KernelConfig(t, group), src, hasMask ? mask : noMask.View, dst, p);
            }
            else
            {
                kernels.CrossSectionalRank(t * n, src, hasMask ? mask : noMask.View, dst, p);
            }

            return;
        }

        using var keys = Allocate((long)t * n);
        using var index = accelerator.Allocate1D<int>((long)t * n);
        kernels.CrossSectional(t, src, hasMask ? mask : noMask.View, dst, keys.View, index.View, p);
        accelerator.Synchronize();
    }

    /// <summary>The three passes of the chunked EWM / RSI scan (see GpuKernels.EwmChunked), on scratch kept between calls.</summary>
    private void ChunkedScan(ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p, int states)
    {
        var threads = (long)p.N * p.Chunks;
        var summaryLength = 6L * states * threads;
        var carryLength = 3L * states * threads;
        lock (scanGate)
        {
            // Calls queue in order on one stream, so later calls may reuse the scratch; growing it must wait
            // for the kernels still reading the old buffer.
            if (scanScratch is null || scanScratch.Length < summaryLength + carryLength)
            {
                accelerator.Synchronize();
                scanScratch?.Dispose();
                scanScratch = accelerator.Allocate1D<double>(summaryLength + carryLength);
            }

            var summary = scanScratch.View.SubView(0, summaryLength);
            var carry = scanScratch.View.SubView(summaryLength, carryLength);
            kernels.EwmChunkSummary((int)threads, src, summary, p);
            kernels.EwmChunkCarry(p.N, summary, carry, p);
            kernels.EwmChunkApply((int)threads, src, dst, carry, p);
        }
    }

    private void Shifted(int op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, string what)
    {
        BackendGuards.Shape(src.Length, dst.Length, t, n, what);
        if (dst.IsEmpty)
        {
            return;
        }

        using var s = Upload(src);
        using var d = Allocate(dst.Length);
        LaunchShifted(op, s.View, d.View, t, n, periods);
        Download(d, dst);
    }

    private void LaunchShifted(int op, ArrayView<float> src, ArrayView<float> dst, int t, int n, int periods)
    {
        if ((long)t * n > 0)
        {
            kernels.Shifted(t * n, src, dst, new GpuKernelParams(op, t, n, periods, 0, 0, 0, 0, 0));
        }
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Upload(ReadOnlySpan<float> data)
    {
        var buffer = Allocate(Math.Max(1, data.Length));
        HostCopies.Upload(buffer.View, data);
        return buffer;
    }

    private void Download(MemoryBuffer1D<float, Stride1D.Dense> buffer, Span<float> dst)
    {
        accelerator.Synchronize();
        HostCopies.Download(buffer.View, dst);
    }
}
