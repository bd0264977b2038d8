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
        if (!SortByBucket(row, mask, n, null))
        {
            return;
        }

        // Replace each bucket by the exact key; runs of a shared bucket are then put in exact order.
        var items = _items;
        var m = Count;
        var runStart = 0;
        var runBucket = items[0] >> 32;
        for (var k = 0; k < m; k++)
        {
            var item = items[k];
            if (item >> 32 != runBucket)
            {
                SortRun(items, runStart, k);
                runStart = k;
                runBucket = item >> 32;
            }

            items[k] = ((ulong)Key(row[(uint)item]) << 32) | (uint)item;
        }

        SortRun(items, runStart, m);
    }

    /// <summary>
    /// Percentile ranks (average ties, in (0, 1]) of the row's members that are finite; NaN elsewhere.
    /// <paramref name="output"/> may be <paramref name="row"/> itself. A value alone in its bucket cannot tie, so only
    /// the rare shared buckets need exact keys.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal unsafe void Rank(float* row, bool* mask, int n, float* output)
    {
        var bucketed = SortByBucket(row, mask, n, output);
        var items = _items;
        var m = Count;
        var halfOverCount = 0.5 / m;
        if (!bucketed)
        {
            // Sorted already: at most one value, or all equal (one tie group).
            for (var k = 0; k < m; k++)
            {
                output[(uint)items[k]] = (float)((1 + m) * halfOverCount);
            }

            return;
        }

        for (var a = 0; a < m;)
        {
            var bucket = items[a] >> 32;
            var e = a + 1;
            while (e < m && items[e] >> 32 == bucket)
            {
                e++;
            }

            if (e == a + 1)
            {
                output[(uint)items[a]] = (float)((2 * a + 2) * halfOverCount);
                a = e;
                continue;
            }

            // A shared bucket: exact keys (its cells are not yet overwritten), exact order, then tie groups.
            for (var k = a; k < e; k++)
            {
                items[k] = ((ulong)Key(row[(uint)items[k]]) << 32) | (uint)items[k];
            }

            SortRun(items, a, e);
            for (var g = a; g < e;)
            {
                var key = items[g] >> 32;
                var h = g + 1;
                while (h < e && items[h] >> 32 == key)
                {
                    h++;
                }

                // Ranks g+1..h share their average, as a fraction of the valid count.
                var pct = (float)((g + 1 + h) * halfOverCount);
                for (var k = g; k < h; k++)
                {
                    output[(uint)items[k]] = pct;
                }

                g = h;
            }

            a = e;
        }
    }

    /// <summary>
    /// Gathers the valid cells (writing NaN to <paramref name="invalidOutput"/> at the others, when given) and sorts them
    /// by bucket, the bucket in the high half of each item. False when no bucketing was needed: then the items are
    /// already final (key above index) and in order.
    /// </summary>
    private unsafe bool SortByBucket(float* row, bool* mask, int n, float* invalidOutput)
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
            else if (invalidOutput != null)
            {
                invalidOutput[j] = float.NaN;
            }
        }

        Count = m;
        if (m < 2 || lo == hi)
        {
            // One value, or all equal (equal keys, ascending indices).
            for (var k = 0; k < m; k++)
            {
                items[k] |= (ulong)Key(row[(int)items[k]]) << 32;
            }

            return false;
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
        return true;
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
