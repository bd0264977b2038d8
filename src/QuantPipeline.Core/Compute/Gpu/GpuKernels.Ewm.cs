using ILGPU;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>Exponential kernels: one thread per symbol carries the recursive state along time.</summary>
internal static partial class GpuKernels
{
    public static void Ewm(Index1D j, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p)
    {
        var n = p.N;
        var state = new EwmState(p.X0, p.Flag != 0);
        var minPeriods = p.MinPeriods < 1 ? 1 : p.MinPeriods;
        for (var i = 0; i < p.T; i++)
        {
            state.Step(src[i * n + j]);
            dst[i * n + j] = state.Observations >= minPeriods ? (float)state.Value : float.NaN;
        }
    }

    public static void Rsi(Index1D j, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p)
    {
        var n = p.N;
        var period = p.Window;
        var gains = new EwmState(1.0 / period, false);
        var losses = new EwmState(1.0 / period, false);
        var previous = float.NaN;
        for (var i = 0; i < p.T; i++)
        {
            var x = src[i * n + j];
            double change = x - previous;
            var gain = Missing(x) || Missing(previous) ? double.NaN : (change > 0 ? change : 0.0);
            var loss = Missing(x) || Missing(previous) ? double.NaN : (change < 0 ? -change : 0.0);
            gains.Step(gain);
            losses.Step(loss);
            previous = x;
            dst[i * n + j] = gains.Observations >= period ? (float)(100.0 - 100.0 / (1.0 + gains.Value / losses.Value)) : float.NaN;
        }
    }

    public static void FillForward(Index1D j, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p)
    {
        var n = p.N;
        var limit = p.Window;
        var last = float.NaN;
        var age = 0;
        for (var i = 0; i < p.T; i++)
        {
            var x = src[i * n + j];
            if (!float.IsNaN(x))
            {
                last = x;
                age = 0;
                dst[i * n + j] = x;
                continue;
            }

            age++;
            dst[i * n + j] = limit == 0 || age <= limit ? last : float.NaN;
        }
    }
}
