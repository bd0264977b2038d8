using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Sorts one row's valid values with their symbol index; the result packs the float bits made order-preserving above
/// the index in a ulong. The values are first mapped to 22-bit buckets by linear interpolation between the row's
/// minimum and maximum — a monotone map, so bucket order is value order and equal values share a bucket — and sorted
/// by bucket with a two-pass 11-bit LSD radix sort (stable, O(m), branch-free). Distinct values rarely share one of
/// the 4M buckets; runs that do are then sorted by their exact keys (insertion, or introsort for the long runs an
/// outlier can cause by squeezing the rest together). Owns its buffers; one per thread.
/// </summary>
internal sealed class RowSorter
{
    private const int Bits = 11;
    private const int Buckets = 1 << Bits;
    private const double Range = (1 << (2 * Bits)) - 1;
    private const int InsertionLimit = 24;
    private readonly int[] _histogram = new int[2 * Buckets];
    private readonly ulong[] _items;
    private readonly ulong[] _swap;

    internal RowSorter(int capacity)
    {
        _items = new ulong[capacity];
        _swap = new ulong[capacity];
    }

    /// <summary>The sorted items of the last <see cref="Sort"/> call: key in the high 32 bits, symbol index in the low.</summary>
    internal ReadOnlySpan<ulong> Sorted => _items.AsSpan(0, Count);

    internal int Count { get; private set; }

    /// <summary>Order-preserving unsigned key of a finite float (−0 and +0 share a key).</summary>
    internal static uint Key(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value + 0f);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }

    internal static float Value(ulong item)
    {
        var key = (uint)(item >> 32);
        var bits = (key & 0x8000_0000u) != 0 ? key & 0x7FFF_FFFFu : ~key;
        return BitConverter.UInt32BitsToSingle(bits);
    }

    /// <summary>Collects the row's cells that are members (mask null = all) and finite, then sorts them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal unsafe void Sort(float* row, bool* mask, int n)
    {
        var items = _items;
        var m = 0;
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        for (var j = 0; j < n; j++)
        {
            var v = row[j];
            if (float.IsFinite(v) && (mask == null || mask[j]))
            {
                items[m++] = (uint)j;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        Count = m;
        if (m < 2 || lo == hi)
        {
            // Already in order: one value, or all equal (equal keys, ascending indices).
            for (var k = 0; k < m; k++)
            {
                items[k] |= (ulong)Key(row[(int)items[k]]) << 32;
            }

            return;
        }

        // (v − lo)·scale is non-decreasing in v in floating point and stays within [0, Range].
        var histogram = _histogram.AsSpan();
        histogram.Clear();
        var scale = Range / ((double)hi - lo);
        for (var k = 0; k < m; k++)
        {
            var j = (uint)items[k];
            var bucket = (uint)(((double)row[j] - lo) * scale);
            items[k] = ((ulong)bucket << 32) | j;
            histogram[(int)(bucket & (Buckets - 1))]++;
            histogram[Buckets + (int)(bucket >> Bits)]++;
        }

        var swap = _swap;
        Scatter(items, swap, m, histogram[..Buckets], 32);
        Scatter(swap, items, m, histogram[Buckets..], 32 + Bits);

        // Replace each bucket by the exact key; runs of a shared bucket are then put in exact order.
        var runStart = 0;
        var runBucket = items[0] >> 32;
        for (var k = 0; k < m; k++)
        {
            var item = items[k];
            var j = (uint)item;
            if (item >> 32 != runBucket)
            {
                SortRun(items, runStart, k);
                runStart = k;
                runBucket = item >> 32;
            }

            items[k] = ((ulong)Key(row[j]) << 32) | j;
        }

        SortRun(items, runStart, m);
    }

    private static void Scatter(ulong[] from, ulong[] to, int m, Span<int> counts, int shift)
    {
        var total = 0;
        for (var b = 0; b < Buckets; b++)
        {
            var c = counts[b];
            counts[b] = total;
            total += c;
        }

        for (var k = 0; k < m; k++)
        {
            var item = from[k];
            to[counts[(int)((item >> shift) & (Buckets - 1))]++] = item;
        }
    }

    private static void SortRun(ulong[] items, int start, int end)
    {
        var size = end - start;
        if (size > InsertionLimit)
        {
            items.AsSpan(start, size).Sort();
            return;
        }

        for (var k = start + 1; k < end; k++)
        {
            var item = items[k];
            var q = k - 1;
            while (q >= start && items[q] > item)
            {
                items[q + 1] = items[q];
                q--;
            }

            items[q + 1] = item;
        }
    }

    /// <summary>Quantile of the sorted values with linear interpolation (pandas' default).</summary>
    internal double Quantile(double q)
    {
        var sorted = Sorted;
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        double a = Value(sorted[lo]), b = Value(sorted[hi]);
        return a + (b - a) * (position - lo);
    }
}
