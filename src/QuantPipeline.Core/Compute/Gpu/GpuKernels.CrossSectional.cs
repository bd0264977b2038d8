using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// Cross-sectional kernels. Rank (for rows wider than <see cref="RankRowCapacity"/>) runs one thread per cell, counting the row's smaller and equal members: the
/// threads of a warp walk the same row in step, so every load is a broadcast from cache, and there are t·n
/// threads to fill the device. Z-score, demean and winsorise run one thread per timestamp over its row;
/// winsorise sorts the row's members (heapsort: no recursion, no extra memory) in the thread's own slice of
/// the scratch buffers.
/// </summary>
internal static partial class GpuKernels
{
    public static void CrossSectionalRank(Index1D e, ArrayView<float> src, ArrayView<byte> mask, ArrayView<float> dst, GpuKernelParams p)
    {
        var n = p.N;
        var row = e / n * n;
        var x = src[e];
        if ((p.Flag != 0 && mask[e] == 0) || float.IsNaN(x) || float.IsInfinity(x))
        {
            dst[e] = float.NaN;
            return;
        }

        var less = 0;
        var equal = 0;
        var count = 0;
        for (var k = 0; k < n; k++)
        {
            var y = src[row + k];
            if ((p.Flag != 0 && mask[row + k] == 0) || float.IsNaN(y) || float.IsInfinity(y))
            {
                continue;
            }

            count++;
            less += y < x ? 1 : 0;
            equal += y == x ? 1 : 0;
        }

        dst[e] = (float)((less + (equal + 1) * 0.5) / count);
    }

    public static void CrossSectional(Index1D i, ArrayView<float> src, ArrayView<byte> mask, ArrayView<float> dst, ArrayView<float> keys, ArrayView<int> index, GpuKernelParams p)
    {
        var n = p.N;
        var row = i * n;
        var op = (CrossSectionalOp)p.Op;
        var count = 0;
        double sum = 0;
        for (var j = 0; j < n; j++)
        {
            var x = src[row + j];
            var member = (p.Flag == 0 || mask[row + j] != 0) && !float.IsNaN(x) && !float.IsInfinity(x);
            if (member)
            {
                keys[row + count] = x;
                index[row + count] = j;
                count++;
                sum += x;
            }

            dst[row + j] = float.NaN;
        }

        if (count == 0)
        {
            return;
        }

        if (op == CrossSectionalOp.ZScore || op == CrossSectionalOp.Demean)
        {
            var mean = sum / count;
            var scale = 1.0;
            if (op == CrossSectionalOp.ZScore)
            {
                double ss = 0;
                for (var k = 0; k < count; k++)
                {
                    var d = keys[row + k] - mean;
                    ss += d * d;
                }

                scale = count > p.Ddof && ss > 0 ? XMath.Sqrt(ss / (count - p.Ddof)) : double.NaN;
            }

            for (var k = 0; k < count; k++)
            {
                dst[row + index[row + k]] = (float)((keys[row + k] - mean) / scale);
            }

            return;
        }

        HeapSort(keys, index, row, count);
        if (op == CrossSectionalOp.Rank)
        {
            var start = 0;
            while (start < count)
            {
                var end = start;
                while (end + 1 < count && keys[row + end + 1] == keys[row + start])
                {
                    end++;
                }

                var rank = (float)(((start + end) * 0.5 + 1.0) / count);
                for (var k = start; k <= end; k++)
                {
                    dst[row + index[row + k]] = rank;
                }

                start = end + 1;
            }

            return;
        }

        var lower = SortedQuantile(keys, row, count, p.X0);
        var upper = SortedQuantile(keys, row, count, p.X1);
        for (var k = 0; k < count; k++)
        {
            double x = keys[row + k];
            dst[row + index[row + k]] = (float)(x < lower ? lower : x > upper ? upper : x);
        }
    }

    private static double SortedQuantile(ArrayView<float> keys, int row, int count, double q)
    {
        var pos = q * (count - 1);
        var lo = (int)pos;
        var hi = lo + 1 < count ? lo + 1 : count - 1;
        double vlo = keys[row + lo];
        double vhi = keys[row + hi];
        return vlo + (vhi - vlo) * (pos - lo);
    }

    private static void HeapSort(ArrayView<float> keys, ArrayView<int> index, int row, int count)
    {
        for (var root = count / 2 - 1; root >= 0; root--)
        {
            SiftDown(keys, index, row, root, count);
        }

        for (var end = count - 1; end > 0; end--)
        {
            Swap(keys, index, row, 0, end);
            SiftDown(keys, index, row, 0, end);
        }
    }

    private static void SiftDown(ArrayView<float> keys, ArrayView<int> index, int row, int root, int count)
    {
        while (true)
        {
            var child = 2 * root + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && keys[row + child + 1] > keys[row + child])
            {
                child++;
            }

            if (keys[row + root] >= keys[row + child])
            {
                return;
            }

            Swap(keys, index, row, root, child);
            root = child;
        }
    }

    private static void Swap(ArrayView<float> keys, ArrayView<int> index, int row, int a, int b)
    {
        var k = keys[row + a];
        keys[row + a] = keys[row + b];
        keys[row + b] = k;
        var x = index[row + a];
        index[row + a] = index[row + b];
        index[row + b] = x;
    }
}
