using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// Rolling kernels, parallel over (time chunk, symbol): thread e = chunk·n + j produces rows
/// [chunk·C, chunk·C + C) of symbol j and rebuilds its state from the window − 1 rows before its chunk
/// (lookback overlap recompute), so the outputs do not depend on the chunk length. Neighbouring threads read
/// neighbouring symbols of the same timestamp, so every load of a warp is one contiguous (coalesced)
/// transaction on a time-major panel, and T/C·n threads fill the device where n alone would not.
/// Sum, mean, var, std and count are streaming (compensated float64 with a shifted origin and a full
/// recompute at the chunk start and every <c>window</c> bars). Min, max, argmin and argmax keep the window's
/// non-NaN count incrementally and the current extreme with its position, and rescan the window only when that
/// position leaves it (amortised O(1) on market data; O(window) per output only for a monotone run against the
/// statistic). The other statistics re-read their window (O(window) per output, from cache).
/// </summary>
internal static partial class GpuKernels
{
    public static void Rolling(Index1D thread, ArrayView<float> src, ArrayView<float> dst, ArrayView<float> scratch, GpuKernelParams p)
    {
        int e = thread;
        var n = p.N;
        var j = e % n;
        var chunk = e / n;
        var first = p.Chunk <= 0 ? 0 : chunk * p.Chunk;
        var end = p.Chunk <= 0 ? p.T : first + p.Chunk;
        end = end < p.T ? end : p.T;
        var op = (RollingOp)p.Op;
        if (op == RollingOp.Sum || op == RollingOp.Mean || op == RollingOp.Var || op == RollingOp.Std || op == RollingOp.Count)
        {
            RollingMoments(j, first, end, src, dst, p, op);
            return;
        }

        if (op == RollingOp.Min || op == RollingOp.Max || op == RollingOp.ArgMin || op == RollingOp.ArgMax)
        {
            RollingExtreme(j, first, end, src, dst, p, op);
            return;
        }

        var w = p.Window;
        var threads = n * p.Chunks;
        for (var i = first; i < end; i++)
        {
            var start = i - w + 1 < 0 ? 0 : i - w + 1;
            dst[i * n + j] = (float)WindowStatistic(op, src, scratch, j, n, e, threads, start, i, p);
        }
    }

    private static void RollingExtreme(int j, int first, int end, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p, RollingOp op)
    {
        var n = p.N;
        var w = p.Window;
        var isMin = op == RollingOp.Min || op == RollingOp.ArgMin;
        var count = 0;
        var best = 0f;
        var bestAt = -1;
        for (var i = first; i < end; i++)
        {
            var start = i - w + 1 < 0 ? 0 : i - w + 1;
            if (i == first)
            {
                for (var q = start; q <= i; q++)
                {
                    count += Missing(src[q * n + j]) ? 0 : 1;
                }
            }
            else
            {
                count += Missing(src[i * n + j]) ? 0 : 1;
                if (i >= w)
                {
                    count -= Missing(src[(i - w) * n + j]) ? 0 : 1;
                }
            }

            if (i == first || bestAt < start)
            {
                // The extreme left the window (or there is none yet): rescan; the earliest of equal extremes wins.
                bestAt = -1;
                for (var q = start; q <= i; q++)
                {
                    var y = src[q * n + j];
                    if (!Missing(y) && (bestAt < 0 || (isMin ? y < best : y > best)))
                    {
                        best = y;
                        bestAt = q;
                    }
                }
            }
            else
            {
                var x = src[i * n + j];
                if (!Missing(x) && (isMin ? x < best : x > best))
                {
                    best = x;
                    bestAt = i;
                }
            }

            var result = float.NaN;
            if (count >= p.MinPeriods && count > 0)
            {
                result = op == RollingOp.Min || op == RollingOp.Max ? best : bestAt - start + 1;
            }

            dst[i * n + j] = result;
        }
    }

    private static void RollingMoments(int j, int first, int end, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p, RollingOp op)
    {
        var n = p.N;
        var w = p.Window;
        double k = 0;
        var s1 = default(NeumaierSum);
        var s2 = default(NeumaierSum);
        var count = 0;
        for (var i = first; i < end; i++)
        {
            if (i == first || i % w == 0)
            {
                // Periodic recompute from the window itself bounds any drift of the running sums.
                s1 = default;
                s2 = default;
                count = 0;
                var start = i - w + 1 < 0 ? 0 : i - w + 1;
                k = RobustOrigin(src, j, n, start, i);
                for (var q = start; q <= i; q++)
                {
                    var y = src[q * n + j];
                    if (Missing(y))
                    {
                        continue;
                    }

                    var d = y - k;
                    s1.Add(d);
                    s2.Add(d * d);
                    count++;
                }
            }
            else
            {
                if (i >= w)
                {
                    var old = src[(i - w) * n + j];
                    if (!Missing(old))
                    {
                        var d = old - k;
                        s1.Add(-d);
                        s2.Add(-(d * d));
                        count--;
                        if (count == 0)
                        {
                            s1 = default;
                            s2 = default;
                        }
                    }
                }

                var x = src[i * n + j];
                if (!Missing(x))
                {
                    if (count == 0)
                    {
                        k = x;
                    }

                    var d = x - k;
                    s1.Add(d);
                    s2.Add(d * d);
                    count++;
                }
            }

            dst[i * n + j] = (float)MomentOutput(op, s1.Value, s2.Value, k, count, p.MinPeriods, p.Ddof);
        }
    }

    /// <summary>
    /// The median of the window's first finite value, first finite value of its second half and last finite value:
    /// any origin is correct, but a far one (a 1e17 outlier) would cancel every sum until the next recompute, and
    /// the median of three cannot be a single outlier. 0 for an empty window.
    /// </summary>
    private static double RobustOrigin(ArrayView<float> src, int j, int n, int start, int end)
    {
        var middle = start + (end - start + 1) / 2;
        double first = 0, mid = 0, last = 0;
        bool haveFirst = false, haveMid = false;
        for (var q = start; q <= end; q++)
        {
            var y = src[q * n + j];
            if (Missing(y))
            {
                continue;
            }

            if (!haveFirst)
            {
                first = y;
                haveFirst = true;
            }

            if (q >= middle && !haveMid)
            {
                mid = y;
                haveMid = true;
            }

            last = y;
        }

        if (!haveMid)
        {
            mid = first;
        }

        var lo = XMath.Min(first, mid);
        var hi = XMath.Max(first, mid);
        return XMath.Max(lo, XMath.Min(hi, last));
    }

    private static double MomentOutput(RollingOp op, double s1, double s2, double k, int count, int minPeriods, int ddof)
    {
        if (op == RollingOp.Count)
        {
            return count >= minPeriods ? count : double.NaN;
        }

        if (count < minPeriods)
        {
            return double.NaN;
        }

        if (op == RollingOp.Sum)
        {
            return s1 + k * count;
        }

        if (count == 0)
        {
            return double.NaN;
        }

        if (op == RollingOp.Mean)
        {
            return k + s1 / count;
        }

        if (count <= ddof)
        {
            return double.NaN;
        }

        var ss = s2 - s1 * s1 / count;
        var variance = ss > 0 ? ss / (count - ddof) : 0.0;
        return op == RollingOp.Var ? variance : XMath.Sqrt(variance);
    }

    /// <summary>One output of the statistics that re-read their window [start, end] of symbol j.</summary>
    private static double WindowStatistic(RollingOp op, ArrayView<float> src, ArrayView<float> scratch, int j, int n, int column, int columns, int start, int end, GpuKernelParams p)
    {
        var count = 0;
        double sum = 0;
        for (var q = start; q <= end; q++)
        {
            var y = src[q * n + j];
            if (!Missing(y))
            {
                count++;
                sum += y;
            }
        }

        if (count < p.MinPeriods || count == 0)
        {
            return double.NaN;
        }

        var mean = sum / count;
        var newest = src[end * n + j];
        switch (op)
        {
            case RollingOp.Min:
            case RollingOp.Max:
            case RollingOp.ArgMin:
            case RollingOp.ArgMax:
                {
                    var isMin = op == RollingOp.Min || op == RollingOp.ArgMin;
                    var best = 0f;
                    var bestAt = -1;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        if (bestAt < 0 || (isMin ? y < best : y > best))
                        {
                            best = y;
                            bestAt = q;
                        }
                    }

                    return op == RollingOp.Min || op == RollingOp.Max ? best : bestAt - start + 1;
                }

            case RollingOp.Rank:
                {
                    if (Missing(newest))
                    {
                        return double.NaN;
                    }

                    var less = 0;
                    var equal = 0;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        if (y < newest)
                        {
                            less++;
                        }
                        else if (y == newest)
                        {
                            equal++;
                        }
                    }

                    return (less + (equal + 1) * 0.5) / count;
                }

            case RollingOp.Quantile:
                {
                    // Insertion sort of the window's finite values in this symbol's scratch column.
                    var c = 0;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        var at = c;
                        while (at > 0 && scratch[(at - 1) * columns + column] > y)
                        {
                            scratch[at * columns + column] = scratch[(at - 1) * columns + column];
                            at--;
                        }

                        scratch[at * columns + column] = y;
                        c++;
                    }

                    var pos = p.X0 * (c - 1);
                    var lo = (int)pos;
                    var hi = lo + 1 < c ? lo + 1 : c - 1;
                    double vlo = scratch[lo * columns + column];
                    double vhi = scratch[hi * columns + column];
                    return vlo + (vhi - vlo) * (pos - lo);
                }

            case RollingOp.Skew:
            case RollingOp.Kurt:
                {
                    double m2 = 0, m3 = 0, m4 = 0;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        var d = y - mean;
                        var d2 = d * d;
                        m2 += d2;
                        m3 += d2 * d;
                        m4 += d2 * d2;
                    }

                    double c = count;
                    var b = m2 / c;
                    if (b <= 1e-14 * mean * mean)
                    {
                        return double.NaN;
                    }

                    if (op == RollingOp.Skew)
                    {
                        if (count < 3)
                        {
                            return double.NaN;
                        }

                        var r = XMath.Sqrt(b);
                        return XMath.Sqrt(c * (c - 1)) * (m3 / c) / ((c - 2) * r * r * r);
                    }

                    if (count < 4)
                    {
                        return double.NaN;
                    }

                    var kk = (c * c - 1) * (m4 / c) / (b * b) - 3 * (c - 1) * (c - 1);
                    return kk / ((c - 2) * (c - 3));
                }

            case RollingOp.Slope:
            case RollingOp.Rsquare:
            case RollingOp.Resi:
                {
                    if (count < 2)
                    {
                        return double.NaN;
                    }

                    double sx = 0;
                    for (var q = start; q <= end; q++)
                    {
                        if (!Missing(src[q * n + j]))
                        {
                            sx += q - start;
                        }
                    }

                    var mx = sx / count;
                    double sxx = 0, sxy = 0, syy = 0;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        var dx = q - start - mx;
                        var dy = y - mean;
                        sxx += dx * dx;
                        sxy += dx * dy;
                        syy += dy * dy;
                    }

                    var slope = sxy / sxx;
                    if (op == RollingOp.Slope)
                    {
                        return slope;
                    }

                    if (op == RollingOp.Rsquare)
                    {
                        return syy > 0 ? sxy * sxy / (sxx * syy) : double.NaN;
                    }

                    return Missing(newest) ? double.NaN : newest - (mean + slope * (end - start - mx));
                }

            case RollingOp.Wma:
                {
                    double num = 0, den = 0;
                    for (var q = start; q <= end; q++)
                    {
                        var y = src[q * n + j];
                        if (Missing(y))
                        {
                            continue;
                        }

                        // Weights count from the oldest slot of a full window (1 … window), even in a short first window.
                        double weight = q - end + p.Window;
                        num += weight * y;
                        den += weight;
                    }

                    return num / den;
                }

            default:
                return double.NaN;
        }
    }

    public static void RollingPair(Index1D thread, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dst, GpuKernelParams p)
    {
        int e = thread;
        var n = p.N;
        var j = e % n;
        var first = p.Chunk <= 0 ? 0 : e / n * p.Chunk;
        var last = p.Chunk <= 0 ? p.T : first + p.Chunk;
        last = last < p.T ? last : p.T;
        var w = p.Window;
        for (var i = first; i < last; i++)
        {
            var start = i - w + 1 < 0 ? 0 : i - w + 1;
            var count = 0;
            double sa = 0, sb = 0;
            for (var q = start; q <= i; q++)
            {
                var x = a[q * n + j];
                var y = b[q * n + j];
                if (Missing(x) || Missing(y))
                {
                    continue;
                }

                count++;
                sa += x;
                sb += y;
            }

            var result = double.NaN;
            if (count >= p.MinPeriods && count > 0)
            {
                var ma = sa / count;
                var mb = sb / count;
                double saa = 0, sbb = 0, sab = 0;
                for (var q = start; q <= i; q++)
                {
                    var x = a[q * n + j];
                    var y = b[q * n + j];
                    if (Missing(x) || Missing(y))
                    {
                        continue;
                    }

                    var da = x - ma;
                    var db = y - mb;
                    saa += da * da;
                    sbb += db * db;
                    sab += da * db;
                }

                if ((RollingPairOp)p.Op == RollingPairOp.Cov)
                {
                    result = count > p.Ddof ? sab / (count - p.Ddof) : double.NaN;
                }
                else
                {
                    result = count >= 2 && saa > 0 && sbb > 0 ? sab / XMath.Sqrt(saa * sbb) : double.NaN;
                }
            }

            dst[i * n + j] = (float)result;
        }
    }
}
