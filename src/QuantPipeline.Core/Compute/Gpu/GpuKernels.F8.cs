using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// W1's F8 rolling items in one pass per (time chunk, symbol): reads close and volume once (plus the lookback
/// rows, from cache) and writes items 1–4 and 6–8 and the return over one window that the rank needs. Every
/// output is rounded exactly as the chain of separate kernels rounds it (float32 between steps), so the fused
/// and unfused F8 agree bit for bit up to the order of float64 sums.
/// </summary>
internal static partial class GpuKernels
{
    public static void F8Rolling(Index1D thread, ArrayView<float> c, ArrayView<float> v, ArrayView<float> outputs, ArrayView<float> windowReturn, GpuKernelParams p)
    {
        int e = thread;
        var n = p.N;
        var j = e % n;
        var first = p.Chunk <= 0 ? 0 : e / n * p.Chunk;
        var end = p.Chunk <= 0 ? p.T : first + p.Chunk;
        end = end < p.T ? end : p.T;
        var w = p.Window;
        var cells = p.T * n;
        var mc = default(MomentWindow);
        var mr = default(MomentWindow);
        var mv = default(MomentWindow);
        var high = 0f;
        var highAt = -1;
        var low = 0f;
        var lowAt = -1;
        for (var i = first; i < end; i++)
        {
            var start = i - w + 1 < 0 ? 0 : i - w + 1;
            if (i == first || i % w == 0)
            {
                mc.Reset(RobustOrigin(c, j, n, start, i));
                mr.Reset(RobustReturnOrigin(c, j, n, start, i));
                mv.Reset(RobustOrigin(v, j, n, start, i));
                for (var q = start; q <= i; q++)
                {
                    mc.Add(c[q * n + j]);
                    mr.Add(OneBarReturn(c, q, n, j));
                    mv.Add(v[q * n + j]);
                }
            }
            else
            {
                if (i >= w)
                {
                    mc.Remove(c[(i - w) * n + j]);
                    mr.Remove(OneBarReturn(c, i - w, n, j));
                    mv.Remove(v[(i - w) * n + j]);
                }

                mc.Add(c[i * n + j]);
                mr.Add(OneBarReturn(c, i, n, j));
                mv.Add(v[i * n + j]);
            }

            if (i == first || highAt < start || lowAt < start)
            {
                highAt = -1;
                lowAt = -1;
                for (var q = start; q <= i; q++)
                {
                    var y = c[q * n + j];
                    if (!Missing(y) && (highAt < 0 || y > high))
                    {
                        high = y;
                        highAt = q;
                    }

                    if (!Missing(y) && (lowAt < 0 || y < low))
                    {
                        low = y;
                        lowAt = q;
                    }
                }
            }
            else
            {
                var x = c[i * n + j];
                if (!Missing(x) && x > high)
                {
                    high = x;
                    highAt = i;
                }

                if (!Missing(x) && x < low)
                {
                    low = x;
                    lowAt = i;
                }
            }

            var at = i * n + j;
            var close = c[at];
            var volume = v[at];
            var meanC = Moment(RollingOp.Mean, mc, p);
            var stdC = Moment(RollingOp.Std, mc, p);
            var meanV = Moment(RollingOp.Mean, mv, p);
            var stdV = Moment(RollingOp.Std, mv, p);
            var enough = mc.Count >= p.MinPeriods && mc.Count > 0;
            outputs[at] = OneBarReturn(c, i, n, j);
            outputs[cells + at] = (float)ApplyBinary(BinaryOp.Sub, (float)ApplyBinary(BinaryOp.Div, meanC, close), 1f);
            outputs[2 * cells + at] = Moment(RollingOp.Std, mr, p);
            outputs[3 * cells + at] = (float)ApplyBinary(BinaryOp.Div, (float)ApplyBinary(BinaryOp.Sub, close, meanC), stdC);
            outputs[5 * cells + at] = (float)ApplyBinary(BinaryOp.Div, enough ? high : float.NaN, close);
            outputs[6 * cells + at] = (float)ApplyBinary(BinaryOp.Div, enough ? low : float.NaN, close);
            outputs[7 * cells + at] = (float)ApplyBinary(BinaryOp.Div, (float)ApplyBinary(BinaryOp.Sub, volume, meanV), stdV);
            windowReturn[at] = i - w < 0 ? float.NaN : (float)(close / (double)c[at - w * n] - 1.0);
        }
    }

    /// <summary><see cref="RobustOrigin"/> of the 1-bar returns of rows start..end.</summary>
    private static double RobustReturnOrigin(ArrayView<float> c, int j, int n, int start, int end)
    {
        var middle = start + (end - start + 1) / 2;
        double first = 0, mid = 0, last = 0;
        bool haveFirst = false, haveMid = false;
        for (var q = start; q <= end; q++)
        {
            var y = OneBarReturn(c, q, n, j);
            if (Missing(y))
            {
                continue;
            }

            first = haveFirst ? first : y;
            haveFirst = true;
            mid = q >= middle && !haveMid ? y : mid;
            haveMid |= q >= middle;
            last = y;
        }

        mid = haveMid ? mid : first;
        var lo = XMath.Min(first, mid);
        var hi = XMath.Max(first, mid);
        return XMath.Max(lo, XMath.Min(hi, last));
    }

    private static float OneBarReturn(ArrayView<float> c, int i, int n, int j)
    {
        if (i < 1)
        {
            return float.NaN;
        }

        double now = c[i * n + j];
        return (float)(now / c[(i - 1) * n + j] - 1.0);
    }

    private static float Moment(RollingOp op, MomentWindow m, GpuKernelParams p) =>
        (float)MomentOutput(op, m.S1.Value, m.S2.Value, m.Origin, m.Count, p.MinPeriods, p.Ddof);
}
