using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// EWM and Wilder RSI parallel over (time chunk, symbol) as an exact three-pass scan, not a truncated warm-up:
/// (1) every chunk runs the recursion from a fresh state and records its summary (end state, observations,
/// first observation and the sensitivity of its result to the value there); (2) one thread per symbol folds
/// the summaries along its chunks into the true state entering each chunk (adjust: the decayed weighted sums
/// add; recursive form: the first observation's blend with the carried value is redone and propagated by the
/// sensitivity); (3) every chunk reruns its rows from that state and writes them. Missing bars age the
/// weights as in pandas (ignore_na = false) and min_periods counts observations from the first row, exactly as
/// the one-thread-per-symbol kernels do; only float64 rounding of the carry differs.
/// </summary>
internal static partial class GpuKernels
{
    private const int SummaryFields = 6;
    private const int CarryFields = 3;

    public static void EwmChunkSummary(Index1D thread, ArrayView<float> src, ArrayView<double> summary, GpuKernelParams p)
    {
        int e = thread;
        var n = p.N;
        var j = e % n;
        var first = e / n * p.Chunk;
        var end = first + p.Chunk < p.T ? first + p.Chunk : p.T;
        var threads = n * p.Chunks;
        var a = new EwmState(p.X0, p.Flag != 0);
        var b = new EwmState(p.X0, false);
        int firstA = -1, firstB = -1;
        double xa = 0, xb = 0;
        var previous = first > 0 ? src[(first - 1) * n + j] : float.NaN;
        for (var i = first; i < end; i++)
        {
            var x = src[i * n + j];
            double va = x, vb = double.NaN;
            if (p.Op == 1)
            {
                RsiMoves(x, previous, out va, out vb);
                b.Step(vb);
                if (firstB < 0 && !double.IsNaN(vb) && !double.IsInfinity(vb))
                {
                    firstB = i - first;
                    xb = vb;
                }
            }

            a.Step(va);
            if (firstA < 0 && !double.IsNaN(va) && !double.IsInfinity(va))
            {
                firstA = i - first;
                xa = va;
            }

            previous = x;
        }

        WriteSummary(summary, 0, threads, e, a, firstA, xa);
        if (p.Op == 1)
        {
            WriteSummary(summary, 1, threads, e, b, firstB, xb);
        }
    }

    public static void EwmChunkCarry(Index1D j, ArrayView<double> summary, ArrayView<double> carry, GpuKernelParams p)
    {
        var n = p.N;
        var chunks = p.Chunks;
        var threads = n * chunks;
        var states = p.Op == 1 ? 2 : 1;
        var decay = 1.0 - p.X0;
        for (var s = 0; s < states; s++)
        {
            var adjust = s == 0 && p.Flag != 0;
            var newWeight = adjust ? 1.0 : p.X0;
            var value = double.NaN;
            var weight = 1.0;
            double observations = 0;
            for (var c = 0; c < chunks; c++)
            {
                var e = c * n + j;
                carry[(s * CarryFields + 0) * threads + e] = value;
                carry[(s * CarryFields + 1) * threads + e] = weight;
                carry[(s * CarryFields + 2) * threads + e] = observations;
                var length = (c + 1) * p.Chunk < p.T ? p.Chunk : p.T - c * p.Chunk;
                var localValue = summary[(s * SummaryFields + 0) * threads + e];
                var localWeight = summary[(s * SummaryFields + 1) * threads + e];
                var localObservations = summary[(s * SummaryFields + 2) * threads + e];
                var firstAt = summary[(s * SummaryFields + 3) * threads + e];
                var firstValue = summary[(s * SummaryFields + 4) * threads + e];
                var sensitivity = summary[(s * SummaryFields + 5) * threads + e];
                if (localObservations == 0)
                {
                    // No observation: the carried value stands and its weight keeps ageing (once there is one).
                    weight = double.IsNaN(value) ? weight : weight * XMath.Pow(decay, length);
                }
                else if (double.IsNaN(value))
                {
                    value = localValue;
                    weight = localWeight;
                }
                else if (adjust)
                {
                    var carried = weight * XMath.Pow(decay, length);
                    value = (carried * value + localWeight * localValue) / (carried + localWeight);
                    weight = carried + localWeight;
                }
                else
                {
                    var aged = weight * XMath.Pow(decay, firstAt + 1);
                    var blended = (aged * value + newWeight * firstValue) / (aged + newWeight);
                    value = localValue + sensitivity * (blended - firstValue);
                    weight = localWeight;
                }

                observations += localObservations;
            }
        }
    }

    public static void EwmChunkApply(Index1D thread, ArrayView<float> src, ArrayView<float> dst, ArrayView<double> carry, GpuKernelParams p)
    {
        int e = thread;
        var n = p.N;
        var j = e % n;
        var first = e / n * p.Chunk;
        var end = first + p.Chunk < p.T ? first + p.Chunk : p.T;
        var threads = n * p.Chunks;
        var a = new EwmState(p.X0, p.Flag != 0);
        var b = new EwmState(p.X0, false);
        a.Restore(carry[0 * threads + e], carry[1 * threads + e], (int)carry[2 * threads + e]);
        if (p.Op == 1)
        {
            b.Restore(carry[3 * threads + e], carry[4 * threads + e], (int)carry[5 * threads + e]);
            var period = p.Window;
            var previous = first > 0 ? src[(first - 1) * n + j] : float.NaN;
            for (var i = first; i < end; i++)
            {
                var x = src[i * n + j];
                RsiMoves(x, previous, out var gain, out var loss);
                a.Step(gain);
                b.Step(loss);
                previous = x;
                dst[i * n + j] = a.Observations >= period ? (float)(100.0 - 100.0 / (1.0 + a.Value / b.Value)) : float.NaN;
            }

            return;
        }

        var minPeriods = p.MinPeriods < 1 ? 1 : p.MinPeriods;
        for (var i = first; i < end; i++)
        {
            a.Step(src[i * n + j]);
            dst[i * n + j] = a.Observations >= minPeriods ? (float)a.Value : float.NaN;
        }
    }

    private static void RsiMoves(float x, float previous, out double gain, out double loss)
    {
        double change = x - previous;
        var missing = Missing(x) || Missing(previous);
        gain = missing ? double.NaN : (change > 0 ? change : 0.0);
        loss = missing ? double.NaN : (change < 0 ? -change : 0.0);
    }

    private static void WriteSummary(ArrayView<double> summary, int s, int threads, int e, EwmState state, int firstAt, double firstValue)
    {
        summary[(s * SummaryFields + 0) * threads + e] = state.Value;
        summary[(s * SummaryFields + 1) * threads + e] = state.OldWeight;
        summary[(s * SummaryFields + 2) * threads + e] = state.Observations;
        summary[(s * SummaryFields + 3) * threads + e] = firstAt;
        summary[(s * SummaryFields + 4) * threads + e] = firstValue;
        summary[(s * SummaryFields + 5) * threads + e] = state.Sensitivity;
    }
}
