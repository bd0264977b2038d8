using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Splits the symbols of a time-major panel into column blocks run in parallel. Each block walks the whole time axis,
/// so per-symbol state stays in L2 and the part of each row it reads (several KB) streams from memory.
/// </summary>
internal static class ColumnBlocks
{
    /// <summary>Largest block: 4,096 symbols × five float64 state arrays (160 KB) still sits in L2.</summary>
    internal const int MaxWidth = 4096;

    /// <summary>Runs <paramref name="body"/>(first symbol, symbol count) over blocks covering [0, n).</summary>
    internal static void For(int n, Action<int, int> body)
    {
        if (n == 0)
        {
            return;
        }

        var width = Width(n);
        var blocks = (n + width - 1) / width;
        if (blocks == 1)
        {
            body(0, n);
            return;
        }

        Parallel.For(0, blocks, b =>
        {
            var start = b * width;
            body(start, Math.Min(width, n - start));
        });
    }

    /// <summary>
    /// One block per core, a multiple of 16 symbols. Wide blocks matter more than balance: each time step reads a
    /// contiguous run of the row, and runs of a few hundred symbols (a new 4 KB page every row, three streams) left the
    /// hardware prefetcher behind and made the rolling kernels two to three times slower in measurements.
    /// </summary>
    internal static int Width(int n)
    {
        var target = (n + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
        var rounded = (target + 15) / 16 * 16;
        return Math.Clamp(rounded, 64, MaxWidth);
    }

    /// <summary>Runs <paramref name="body"/>(first row, row count) over row blocks of [0, t), for row-wise kernels.</summary>
    internal static void ForRows(int t, int rowsPerBlock, Action<int, int> body)
    {
        if (t == 0)
        {
            return;
        }

        var blocks = (t + rowsPerBlock - 1) / rowsPerBlock;
        if (blocks == 1)
        {
            body(0, t);
            return;
        }

        Parallel.For(0, blocks, b =>
        {
            var start = b * rowsPerBlock;
            body(start, Math.Min(rowsPerBlock, t - start));
        });
    }

    /// <summary>Symbols per vector of the widest accelerated width (1 when nothing is accelerated).</summary>
    internal static int DoubleLaneCount =>
        Vector512.IsHardwareAccelerated ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : Vector128.IsHardwareAccelerated ? Vector128<double>.Count
        : 1;
}
