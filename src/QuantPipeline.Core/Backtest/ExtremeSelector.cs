using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Finds the b smallest and t largest values of a cross-section without sorting (ties rank by name index, as in
/// <see cref="CrossSectionOrder"/>). One SIMD pass turns the floats into monotone 32-bit values; a histogram of
/// their top 11 bits places each boundary in one bucket; one SIMD pass packs the names below (above) the boundary
/// buckets straight into the output and the boundary buckets' names into small candidate lists; only those
/// candidates (about a bucket's worth) go through <see cref="CrossSectionOrder.Select"/>. All buffers are reused
/// from row to row, so a row allocates nothing.
/// </summary>
internal sealed class ExtremeSelector(int n)
{
    private const int Shift = 21; // 32-bit monotone value → top 11 bits
    private const int Buckets = 1 << 11;
    private const int Lanes = 16;

    // Two interleaved copies, so that runs of equal buckets do not serialise on one counter.
    private readonly int[] _histogram = new int[2 * Buckets];
    private readonly uint[] _values = new uint[n + Lanes];
    private readonly int[] _below = new int[n + Lanes];
    private readonly int[] _above = new int[n + Lanes];
    private readonly int[] _lowNames = new int[n + Lanes];
    private readonly int[] _highNames = new int[n + Lanes];
    private readonly ulong[] _low = new ulong[n];
    private readonly ulong[] _high = new ulong[n];

    /// <summary>
    /// Writes the names of the <paramref name="bottom"/> smallest finite values (ascending not guaranteed) to
    /// <paramref name="bottomNames"/> and of the <paramref name="top"/> largest to <paramref name="topNames"/>;
    /// ties rank by name index. Returns the number of finite values.
    /// </summary>
    public int Select(ReadOnlySpan<float> row, double bottomFraction, double topFraction, int topCap, Span<int> bottomNames, Span<int> topNames, out int bottom, out int top)
    {
        var m = MonotoneValues(row);
        bottom = (int)Math.Floor(m * bottomFraction);
        top = Math.Min((int)Math.Floor(m * topFraction), topCap);
        if (bottom + top > m)
        {
            throw new InvalidOperationException($"Cannot take {bottom} + {top} names out of {m}.");
        }

        if (bottom <= 0 && top <= 0)
        {
            return m;
        }

        Histogram(row.Length);

        // Boundary buckets: the one holding the bottom-th smallest value and the one holding the top-th largest.
        // Bucket 0 holds only the non-finite values (finite ones start at bucket 4) and was emptied by Histogram.
        var h = _histogram;
        int lowBucket = -1, belowLow = 0;
        if (bottom > 0)
        {
            var seen = 0;
            for (var b = 0; b < Buckets; b++)
            {
                if (seen + h[b] >= bottom)
                {
                    lowBucket = b;
                    belowLow = seen;
                    break;
                }

                seen += h[b];
            }
        }

        int highBucket = Buckets, aboveHigh = 0;
        if (top > 0)
        {
            var seen = 0;
            for (var b = Buckets - 1; b >= 0; b--)
            {
                if (seen + h[b] >= top)
                {
                    highBucket = b;
                    aboveHigh = seen;
                    break;
                }

                seen += h[b];
            }
        }

        Partition(row.Length, lowBucket, highBucket, out var nb, out var nt, out var nLow, out var nHigh);
        _below.AsSpan(0, nb).CopyTo(bottomNames);
        _above.AsSpan(0, nt).CopyTo(topNames);

        var needLow = bottom - belowLow;
        var needHigh = top - aboveHigh;
        var low = Keys(_lowNames.AsSpan(0, nLow), _low);
        if (lowBucket == highBucket)
        {
            // A bucket holding both boundaries is collected once, in the low list.
            TakeSmallest(low, needLow, bottomNames[nb..]);
            TakeLargest(low[Math.Max(needLow, 0)..], needHigh, topNames[nt..]);
        }
        else
        {
            TakeSmallest(low, needLow, bottomNames[nb..]);
            TakeLargest(Keys(_highNames.AsSpan(0, nHigh), _high), needHigh, topNames[nt..]);
        }

        return m;
    }

    /// <summary>Monotone unsigned bits of each value (−0 as +0), 0 for a non-finite one; returns the finite count.</summary>
    private int MonotoneValues(ReadOnlySpan<float> row)
    {
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var dst = ref MemoryMarshal.GetArrayDataReference(_values);
        var j = 0;
        var m = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var signBit = Vector512.Create(0x8000_0000u);
            for (; j + Lanes <= row.Length; j += Lanes)
            {
                var x = Vector512.LoadUnsafe(ref src, (nuint)j) + Vector512<float>.Zero;
                var finite = Vector512.Equals(x - x, Vector512<float>.Zero).AsUInt32();
                var bits = x.AsUInt32();
                var negative = Vector512.ShiftRightArithmetic(bits.AsInt32(), 31).AsUInt32();
                ((bits ^ (negative | signBit)) & finite).StoreUnsafe(ref dst, (nuint)j);
                m += BitOperations.PopCount(finite.ExtractMostSignificantBits());
            }
        }

        for (; j < row.Length; j++)
        {
            var x = Unsafe.Add(ref src, j);
            var finite = float.IsFinite(x);
            Unsafe.Add(ref dst, j) = finite ? CrossSectionOrder.ValueBits(CrossSectionOrder.Key(x, 0)) : 0u;
            m += finite ? 1 : 0;
        }

        return m;
    }

    private void Histogram(int length)
    {
        var h = _histogram;
        Array.Clear(h);
        ref var h0 = ref MemoryMarshal.GetArrayDataReference(h);
        ref var h1 = ref Unsafe.Add(ref h0, Buckets);
        ref var v = ref MemoryMarshal.GetArrayDataReference(_values);
        var j = 0;
        for (; j + 1 < length; j += 2)
        {
            Unsafe.Add(ref h0, (int)(Unsafe.Add(ref v, j) >> Shift))++;
            Unsafe.Add(ref h1, (int)(Unsafe.Add(ref v, j + 1) >> Shift))++;
        }

        if (j < length)
        {
            Unsafe.Add(ref h0, (int)(Unsafe.Add(ref v, j) >> Shift))++;
        }

        for (var b = 0; b < Buckets; b += Lanes)
        {
            (Vector512.LoadUnsafe(ref h0, (nuint)b) + Vector512.LoadUnsafe(ref h1, (nuint)b)).StoreUnsafe(ref h0, (nuint)b);
        }

        h[0] = 0;
    }

    /// <summary>
    /// Names below the low bucket → <c>_below</c>, above the high bucket → <c>_above</c>; names in the low bucket →
    /// <c>_lowNames</c>, in the high bucket (when it differs) → <c>_highNames</c>. Non-finite values are skipped.
    /// </summary>
    private void Partition(int length, int lowBucket, int highBucket, out int belowCount, out int aboveCount, out int lowCount, out int highCount)
    {
        // Counters are locals (registers); out parameters would put every append through memory.
        int nb = 0, nt = 0, nLow = 0, nHigh = 0;
        ref var v = ref MemoryMarshal.GetArrayDataReference(_values);
        ref var below = ref MemoryMarshal.GetArrayDataReference(_below);
        ref var above = ref MemoryMarshal.GetArrayDataReference(_above);
        ref var lowNames = ref MemoryMarshal.GetArrayDataReference(_lowNames);
        ref var highNames = ref MemoryMarshal.GetArrayDataReference(_highNames);
        var j = 0;
        if (Avx512F.IsSupported)
        {
            var lowV = Vector512.Create(lowBucket);
            var highV = Vector512.Create(highBucket);
            var names = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            var step = Vector512.Create(Lanes);
            for (; j + Lanes <= length; j += Lanes, names += step)
            {
                var values = Vector512.LoadUnsafe(ref v, (nuint)j);
                var bucket = Vector512.ShiftRightLogical(values, Shift).AsInt32();
                var finite = ~Vector512.Equals(values, Vector512<uint>.Zero).AsInt32();
                nb = Append(Vector512.LessThan(bucket, lowV) & finite, names, ref below, nb);
                nt = Append(Vector512.GreaterThan(bucket, highV), names, ref above, nt);
                var inLow = Vector512.Equals(bucket, lowV);
                nLow = Append(inLow, names, ref lowNames, nLow);
                nHigh = Append(Vector512.Equals(bucket, highV) & ~inLow, names, ref highNames, nHigh);
            }
        }

        for (; j < length; j++)
        {
            var value = Unsafe.Add(ref v, j);
            var b = (int)(value >> Shift);
            if (value == 0)
            {
                continue;
            }

            if (b < lowBucket)
            {
                Unsafe.Add(ref below, nb++) = j;
            }
            else if (b > highBucket)
            {
                Unsafe.Add(ref above, nt++) = j;
            }
            else if (b == lowBucket)
            {
                Unsafe.Add(ref lowNames, nLow++) = j;
            }
            else if (b == highBucket)
            {
                Unsafe.Add(ref highNames, nHigh++) = j;
            }
        }

        (belowCount, aboveCount, lowCount, highCount) = (nb, nt, nLow, nHigh);
    }

    /// <summary>Packs the selected lanes at <paramref name="count"/> (the buffer has a vector's slack at its end); returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Append(Vector512<int> mask, Vector512<int> names, ref int buffer, int count)
    {
        // No early exit: whether a vector has a selected lane is a coin toss, and a mispredicted branch costs more
        // than packing and storing an empty vector.
        var bits = mask.ExtractMostSignificantBits();
        Avx512F.Compress(Vector512<int>.Zero, mask, names).StoreUnsafe(ref buffer, (nuint)count);
        return count + BitOperations.PopCount(bits);
    }

    private Span<ulong> Keys(ReadOnlySpan<int> names, ulong[] keys)
    {
        for (var s = 0; s < names.Length; s++)
        {
            keys[s] = ((ulong)_values[names[s]] << 32) | (uint)names[s];
        }

        return keys.AsSpan(0, names.Length);
    }

    private static void TakeSmallest(Span<ulong> candidates, int count, Span<int> names)
    {
        if (count <= 0)
        {
            return;
        }

        if (count < candidates.Length)
        {
            CrossSectionOrder.Select(candidates, count - 1);
        }

        for (var s = 0; s < count; s++)
        {
            names[s] = CrossSectionOrder.Index(candidates[s]);
        }
    }

    private static void TakeLargest(Span<ulong> candidates, int count, Span<int> names)
    {
        if (count <= 0)
        {
            return;
        }

        var first = candidates.Length - count;
        if (first > 0)
        {
            CrossSectionOrder.Select(candidates, first);
        }

        for (var s = 0; s < count; s++)
        {
            names[s] = CrossSectionOrder.Index(candidates[first + s]);
        }
    }
}
