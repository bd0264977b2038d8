using ILGPU;
using ILGPU.Runtime;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Compute.Gpu;

namespace QuantPipeline.GpuCheck;

/// <summary>
/// W1's F8 feature set (BENCHMARKS.md) on the GPU backend with every buffer resident on the device: close c and
/// volume v in, ten features out, window 30. <see cref="RunResident"/> times the kernels alone;
/// <see cref="RunWithTransfers"/> adds the upload of c and v and the download of the ten outputs.
/// </summary>
public sealed class F8Workload : IDisposable
{
    public const int Window = 30;
    public const int Outputs = 10;

    private readonly GpuBackend gpu;
    private readonly int t;
    private readonly int n;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> close;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> volume;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> ones;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> mean;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> std;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> tmp;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> stacked;
    private readonly ArrayView<float>[] outputs;
    private readonly bool fused;

    /// <param name="fused">Run items 1–4 and 6–8 as one fused kernel (<see cref="GpuBackend.F8Rolling"/>) instead of the chain of calls.</param>
    public F8Workload(GpuBackend gpu, int t, int n, bool fused = false)
    {
        this.gpu = gpu;
        this.fused = fused;
        this.t = t;
        this.n = n;
        long cells = (long)t * n;
        close = gpu.Allocate(cells);
        volume = gpu.Allocate(cells);
        ones = gpu.Allocate(cells);
        mean = gpu.Allocate(cells);
        std = gpu.Allocate(cells);
        tmp = gpu.Allocate(cells);
        stacked = gpu.Allocate(Outputs * cells);
        outputs = Enumerable.Range(0, Outputs).Select(k => (ArrayView<float>)stacked.View.SubView(k * cells, cells)).ToArray();
        var one = new float[cells];
        Array.Fill(one, 1f);
        ones.CopyFromCPU(one);
    }

    /// <summary>Bytes a perfect implementation must move: read c and v once, write ten outputs once.</summary>
    public long LogicalBytes => (2L + Outputs) * t * n * sizeof(float);

    public void Upload(float[] c, float[] v)
    {
        close.CopyFromCPU(c);
        volume.CopyFromCPU(v);
    }

    public void Download(float[][] results)
    {
        for (var k = 0; k < Outputs; k++)
        {
            // Through the span overload: ILGPU pins it (a raw ref into an unpinned array can move mid-copy).
            outputs[k].SubView(0, results[k].Length).CopyToCPU(results[k].AsSpan());
        }
    }

    public void RunWithTransfers(float[] c, float[] v, float[][] results)
    {
        Upload(c, v);
        RunResident();
        Download(results);
        gpu.Synchronize();
    }

    /// <summary>The ten items in order, each a chain of device calls (queued; the caller synchronises).</summary>
    public IReadOnlyList<(string Name, Action Run)> Items
    {
        get
        {
            var w = new RollingSpec(Window);
            var o = outputs;
            ArrayView<float> c = close.View, v = volume.View;
            if (fused)
            {
                return
                [
                    ("1-4, 6-8 fused rolling", () => gpu.F8Rolling(c, v, stacked.View, tmp.View, t, n, Window)),
                    ("5 ewm(return, hl 20)", () => gpu.Ewm(o[0], o[4], t, n, EwmSpec.FromHalfLife(20))),
                    ("9 cs rank(30-bar return)", () => gpu.CrossSectional(CrossSectionalOp.Rank, tmp.View, default, o[8], t, n, new CrossSectionalSpec(0.01, 0.99, 1))),
                    ("10 rsi(14)", () => gpu.Rsi(c, o[9], t, n, 14)),
                ];
            }

            return
            [
                ("1 return", () => gpu.Returns(c, o[0], t, n, 1, ReturnKind.Simple)),
                ("2 mean(c)/c-1", () =>
                {
                    gpu.Rolling(RollingOp.Mean, c, mean.View, t, n, w);
                    gpu.Binary(BinaryOp.Div, mean.View, c, tmp.View);
                    gpu.Binary(BinaryOp.Sub, tmp.View, ones.View, o[1]);
                }),
                ("3 std(return)", () => gpu.Rolling(RollingOp.Std, o[0], o[2], t, n, w)),
                ("4 zscore(c)", () =>
                {
                    // Reuses item 2's rolling mean of c, as a feature pipeline would.
                    gpu.Rolling(RollingOp.Std, c, std.View, t, n, w);
                    gpu.Binary(BinaryOp.Sub, c, mean.View, tmp.View);
                    gpu.Binary(BinaryOp.Div, tmp.View, std.View, o[3]);
                }),
                ("5 ewm(return, hl 20)", () => gpu.Ewm(o[0], o[4], t, n, EwmSpec.FromHalfLife(20))),
                ("6 max(c)/c", () =>
                {
                    gpu.Rolling(RollingOp.Max, c, tmp.View, t, n, w);
                    gpu.Binary(BinaryOp.Div, tmp.View, c, o[5]);
                }),
                ("7 min(c)/c", () =>
                {
                    gpu.Rolling(RollingOp.Min, c, tmp.View, t, n, w);
                    gpu.Binary(BinaryOp.Div, tmp.View, c, o[6]);
                }),
                ("8 zscore(v)", () =>
                {
                    gpu.Rolling(RollingOp.Mean, v, mean.View, t, n, w);
                    gpu.Rolling(RollingOp.Std, v, std.View, t, n, w);
                    gpu.Binary(BinaryOp.Sub, v, mean.View, tmp.View);
                    gpu.Binary(BinaryOp.Div, tmp.View, std.View, o[7]);
                }),
                ("9 cs rank(30-bar return)", () =>
                {
                    gpu.Returns(c, tmp.View, t, n, Window, ReturnKind.Simple);
                    gpu.CrossSectional(CrossSectionalOp.Rank, tmp.View, default, o[8], t, n, new CrossSectionalSpec(0.01, 0.99, 1));
                }),
                ("10 rsi(14)", () => gpu.Rsi(c, o[9], t, n, 14)),
            ];
        }
    }

    public void RunResident()
    {
        foreach (var (_, run) in Items)
        {
            run();
        }

        gpu.Synchronize();
    }

    public void Dispose()
    {
        foreach (var b in new[] { stacked, close, volume, ones, mean, std, tmp })
        {
            b.Dispose();
        }
    }
}
