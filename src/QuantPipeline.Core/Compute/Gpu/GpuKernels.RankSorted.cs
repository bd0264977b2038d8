using ILGPU;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// Cross-sectional percentile rank with one thread group per timestamp: the group loads its row into shared
/// memory (non-members become +∞ and sort last), bitonic-sorts it with the symbols' indices, then every member
/// finds its run of ties by binary search and writes the average rank. O(n log² n) per row in shared memory
/// instead of O(n) global reads per cell.
/// </summary>
internal static partial class GpuKernels
{
    /// <summary>Largest row the shared-memory rank handles; wider rows use the per-cell counting kernel.</summary>
    public const int RankRowCapacity = 4096;

    public static void CrossSectionalRankSorted(ArrayView<float> src, ArrayView<byte> mask, ArrayView<float> dst, GpuKernelParams p)
    {
        var keys = SharedMemory.Allocate<float>(RankRowCapacity);
        var index = SharedMemory.Allocate<int>(RankRowCapacity);
        var n = p.N;
        var row = Grid.IdxX * n;
        var tid = Group.IdxX;
        var threads = Group.DimX;
        var size = 1;
        while (size < n)
        {
            size <<= 1;
        }

        for (var k = tid; k < size; k += threads)
        {
            var key = float.PositiveInfinity;
            if (k < n)
            {
                var y = src[row + k];
                if ((p.Flag == 0 || mask[row + k] != 0) && !float.IsNaN(y) && !float.IsInfinity(y))
                {
                    key = y;
                }
                else
                {
                    dst[row + k] = float.NaN;
                }
            }

            keys[k] = key;
            index[k] = k;
        }

        Group.Barrier();
        for (var block = 2; block <= size; block <<= 1)
        {
            for (var stride = block >> 1; stride > 0; stride >>= 1)
            {
                for (var k = tid; k < size; k += threads)
                {
                    var partner = k ^ stride;
                    if (partner > k)
                    {
                        var a = keys[k];
                        var b = keys[partner];
                        if ((k & block) == 0 ? a > b : a < b)
                        {
                            keys[k] = b;
                            keys[partner] = a;
                            var at = index[k];
                            index[k] = index[partner];
                            index[partner] = at;
                        }
                    }
                }

                Group.Barrier();
            }
        }

        var count = FirstNotBelow(keys, size, float.PositiveInfinity);
        for (var k = tid; k < count; k += threads)
        {
            var x = keys[k];
            var lo = FirstNotBelow(keys, count, x);
            var hi = FirstAbove(keys, count, x) - 1;
            dst[row + index[k]] = (float)(((lo + hi) * 0.5 + 1.0) / count);
        }
    }

    private static int FirstNotBelow(ArrayView<float> sorted, int length, float x)
    {
        var lo = 0;
        var hi = length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (sorted[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int FirstAbove(ArrayView<float> sorted, int length, float x)
    {
        var lo = 0;
        var hi = length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (sorted[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
