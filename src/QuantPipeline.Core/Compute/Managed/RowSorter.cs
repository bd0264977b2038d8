using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// Sorts one row's valid values with their symbol index; the result packs the float bits made order-preserving above
/// the index in a ulong. The values are first mapped to 20-bit buckets by linear interpolation between the row's
/// minimum and maximum — a monotone map, so bucket order is value order and equal values share a bucket — and sorted
/// by bucket with a two-pass 10-bit LSD radix sort (stable, O(m), branch-free). Distinct values rarely share one of
/// the 1M buckets; runs that do are then sorted by their exact keys (insertion, or introsort for the long runs an
/// outlier can cause by squeezing the rest together). Owns its buffers; one per thread.
/// </summary>
internal sealed class RowSorter
{
    private const int Bits = 10;
    private const int Buckets = 1 << Bits;
    private const double Range = (1 << (2 * Bits)) - 1;
    private const int InsertionLimit = 24;
    private readonly int[] _histogram = new int[2 * Buckets];

    // One spare slot past the row for the run scan's sentinel.
    private readonly ulong[] _items;
    private readonly ulong[] _swap;

    // A copy of the row when Rank writes in place: the rare shared buckets need the exact values after the ranks of
    // the others have overwritten them.
    private readonly float[] _values;

    internal RowSorter(int capacity)
    {
        _items = new ulong[capacity + 1];
        _swap = new ulong[capacity + 1];
        _values = new float[capacity];
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
        if (!SortByBucket(row, mask, n, null, null))
        {
            return;
        }

        // Replace each bucket by the exact key; runs of a shared bucket are then put in exact order.
        fixed (ulong* items = _items)
        {
            SortRunsByKey(row, items, Count);
        }
    }

    private static unsafe void SortRunsByKey(float* row, ulong* items, int m)
    {
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
    /// <paramref name="output"/> may be <paramref name="row"/> itself. The radix sort's last pass writes every cell's
    /// rank from its sorted position, which is final for a value alone in its bucket (it cannot tie); a vector scan
    /// then finds the rare runs of a shared bucket, which are put in exact order and split into tie groups.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal unsafe void Rank(float* row, bool* mask, int n, float* output)
    {
        fixed (float* values = _values)
        fixed (ulong* it = _items)
        {
            var source = row;
            if (output == row)
            {
                new ReadOnlySpan<float>(row, n).CopyTo(new Span<float>(values, n));
                source = values;
            }

            var bucketed = SortByBucket(source, mask, n, output, output);
            var m = Count;
            var halfOverCount = 0.5 / m;
            if (!bucketed)
            {
                // Sorted already: at most one value, or all equal (one tie group).
                for (var k = 0; k < m; k++)
                {
                    output[(uint)it[k]] = (float)((1 + m) * halfOverCount);
                }

                return;
            }

            it[m] = ulong.MaxValue;
            for (var a = 0; a < m - 1;)
            {
                if (Vector512.IsHardwareAccelerated && a + Vector512<ulong>.Count < m)
                {
                    var shared = Vector512.Equals(Vector512.Load(it + a) >> 32, Vector512.Load(it + a + 1) >> 32).ExtractMostSignificantBits();
                    if (shared == 0)
                    {
                        a += Vector512<ulong>.Count;
                        continue;
                    }

                    a += BitOperations.TrailingZeroCount(shared);
                }
                else if (it[a] >> 32 != it[a + 1] >> 32)
                {
                    a++;
                    continue;
                }

                a = RankSharedBucket(it, a, m, source, output, halfOverCount);
            }
        }
    }

    /// <summary>
    /// Ranks the run of a shared bucket that starts at <paramref name="a"/>: exact keys, exact order, then each tie
    /// group's average rank. Returns where the run ends.
    /// </summary>
    private static unsafe int RankSharedBucket(ulong* it, int a, int m, float* values, float* output, double halfOverCount)
    {
        var bucket = it[a] >> 32;
        var e = a + 1;
        while (e < m && it[e] >> 32 == bucket)
        {
            e++;
        }

        for (var k = a; k < e; k++)
        {
            it[k] = ((ulong)Key(values[(uint)it[k]]) << 32) | (uint)it[k];
        }

        SortRun(it, a, e);
        for (var g = a; g < e;)
        {
            var key = it[g] >> 32;
            var h = g + 1;
            while (h < e && it[h] >> 32 == key)
            {
                h++;
            }

            // Ranks g+1..h share their average, as a fraction of the valid count.
            var pct = (float)((g + 1 + h) * halfOverCount);
            for (var k = g; k < h; k++)
            {
                output[(uint)it[k]] = pct;
            }

            g = h;
        }

        return e;
    }

    /// <summary>
    /// Gathers the valid cells (writing NaN to <paramref name="invalidOutput"/> at the others, when given) and sorts them
    /// by bucket, the bucket in the high half of each item. False when no bucketing was needed: then the items are
    /// already final (key above index) and in order.
    /// </summary>
    private unsafe bool SortByBucket(float* row, bool* mask, int n, float* invalidOutput, float* rankOutput)
    {
        var items = _items;
        var m = 0;
        if (mask == null && AllFinite(row, n, out var lo, out var hi))
        {
            // Every cell counts (the usual row): no gathering, the bucket pass numbers the cells itself.
            return BucketSort(row, null, n, lo, hi, rankOutput);
        }

        lo = float.PositiveInfinity;
        hi = float.NegativeInfinity;
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

        return BucketSort(row, items, m, lo, hi, rankOutput);
    }

    /// <summary>
    /// Sorts the m valid cells by bucket (cell k is items[k], or k itself when <paramref name="gathered"/> is null).
    /// False when no bucketing was needed (fewer than two values or all equal): the items then hold their final keys.
    /// </summary>
    private unsafe bool BucketSort(float* row, ulong[]? gathered, int m, float lo, float hi, float* rankOutput)
    {
        var items = _items;
        Count = m;
        if (m < 2 || lo == hi)
        {
            // One value, or all equal (equal keys, ascending indices).
            for (var k = 0; k < m; k++)
            {
                var j = gathered == null ? (uint)k : (uint)gathered[k];
                items[k] = ((ulong)Key(row[j]) << 32) | j;
            }

            return false;
        }

        // (v − lo)·scale is non-decreasing in v in floating point and stays within [0, Range].
        Array.Clear(_histogram);
        var scale = Range / ((double)hi - lo);
        fixed (ulong* it = items, sw = _swap)
        fixed (int* histogram = _histogram)
        {
            // Pointers: the bounds checks of these three O(m) loops cost as much as their work.
            var k = 0;
            if (gathered == null && Vector512.IsHardwareAccelerated)
            {
                // Cells 0..m−1 in order: eight buckets per vector (the same float64 operations), the cell in the low half.
                var vlo = Vector512.Create((double)lo);
                var vscale = Vector512.Create(scale);
                var index = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
                var step = Vector512.Create((ulong)Vector512<double>.Count);
                for (; k <= m - Vector512<double>.Count; k += Vector512<double>.Count)
                {
                    var values = Vector512.WidenLower(Vector256.Load(row + k).ToVector512Unsafe());
                    var buckets = Vector512.ConvertToUInt64((values - vlo) * vscale);
                    ((buckets << 32) | index).Store(it + k);
                    index += step;
                }

                for (var q = 0; q < k; q++)
                {
                    var bucket = (uint)(it[q] >> 32);
                    histogram[bucket & (Buckets - 1)]++;
                    histogram[Buckets + (bucket >> Bits)]++;
                }
            }

            for (; k < m; k++)
            {
                var j = gathered == null ? (uint)k : (uint)it[k];
                var bucket = (uint)(((double)row[j] - lo) * scale);
                it[k] = ((ulong)bucket << 32) | j;
                histogram[bucket & (Buckets - 1)]++;
                histogram[Buckets + (bucket >> Bits)]++;
            }

            Scatter(it, sw, m, histogram, 32);
            if (rankOutput == null)
            {
                Scatter(sw, it, m, histogram + Buckets, 32 + Bits);
            }
            else
            {
                ScatterRanking(sw, it, m, histogram + Buckets, 32 + Bits, rankOutput, 0.5 / m);
            }
        }

        return true;
    }

    /// <summary>Whether every cell of the row is finite, with the row's minimum and maximum (one vector pass).</summary>
    private static unsafe bool AllFinite(float* row, int n, out float lo, out float hi)
    {
        var j = 0;
        lo = float.PositiveInfinity;
        hi = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var vlo = Vector512.Create(float.PositiveInfinity);
            var vhi = Vector512.Create(float.NegativeInfinity);
            var finite = Vector512<float>.AllBitsSet;
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var v = Vector512.Load(row + j);
                finite &= Vector512.Equals(v - v, Vector512<float>.Zero);
                vlo = Vector512.Min(vlo, v);
                vhi = Vector512.Max(vhi, v);
            }

            if (finite.ExtractMostSignificantBits() != 0xFFFFu)
            {
                return false;
            }

            for (var q = 0; q < Vector512<float>.Count; q++)
            {
                lo = Math.Min(lo, vlo[q]);
                hi = Math.Max(hi, vhi[q]);
            }
        }

        for (; j < n; j++)
        {
            var v = row[j];
            if (!float.IsFinite(v))
            {
                return false;
            }

            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        return true;
    }

    /// <summary>Turns bucket counts into the buckets' first positions (exclusive prefix sums).</summary>
    private static unsafe void Prefix(int* counts)
    {
        var total = 0;
        for (var b = 0; b < Buckets; b++)
        {
            var c = counts[b];
            counts[b] = total;
            total += c;
        }
    }

    private static unsafe void Scatter(ulong* from, ulong* to, int m, int* counts, int shift)
    {
        Prefix(counts);
        for (var k = 0; k < m; k++)
        {
            var item = from[k];
            to[counts[(item >> shift) & (Buckets - 1)]++] = item;
        }
    }

    /// <summary>
    /// The last pass of <see cref="Scatter"/>, also writing each cell's rank from its sorted position p:
    /// (2p + 2)·halfOverCount = (p + 1)/m, final for a value alone in its bucket.
    /// </summary>
    private static unsafe void ScatterRanking(ulong* from, ulong* to, int m, int* counts, int shift, float* output, double halfOverCount)
    {
        Prefix(counts);
        for (var k = 0; k < m; k++)
        {
            var item = from[k];
            var p = counts[(item >> shift) & (Buckets - 1)]++;
            to[p] = item;
            output[(uint)item] = (float)((2 * p + 2) * halfOverCount);
        }
    }

    private static unsafe void SortRun(ulong* items, int start, int end)
    {
        var size = end - start;
        if (size > InsertionLimit)
        {
            new Span<ulong>(items + start, size).Sort();
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
