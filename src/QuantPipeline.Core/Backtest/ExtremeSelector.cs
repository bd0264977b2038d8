namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Finds the b smallest and t largest ordering keys of a cross-section without sorting: a histogram of the top 11 bits
/// of each key places the two boundaries in one bucket each, everything below (above) a boundary bucket is taken
/// outright, and only the keys inside a boundary bucket go through <see cref="CrossSectionOrder.Select"/>.
/// Three linear passes with few unpredictable branches, instead of a comparison sort.
/// </summary>
internal sealed class ExtremeSelector(int n)
{
    private const int Shift = 53; // 64-bit key → top 11 bits
    private const int Buckets = 1 << 11;
    private readonly int[] _histogram = new int[Buckets];
    private readonly ulong[] _keys = new ulong[n];
    private readonly ulong[] _low = new ulong[n];
    private readonly ulong[] _high = new ulong[n];

    /// <summary>
    /// Writes the names of the <paramref name="bottom"/> smallest finite values (ascending not guaranteed) to
    /// <paramref name="bottomNames"/> and of the <paramref name="top"/> largest to <paramref name="topNames"/>;
    /// ties rank by name index. Returns the number of finite values.
    /// </summary>
    public int Select(ReadOnlySpan<float> row, double bottomFraction, double topFraction, int topCap, Span<int> bottomNames, Span<int> topNames, out int bottom, out int top)
    {
        Array.Clear(_histogram);
        var keys = _keys;
        var histogram = _histogram;
        var m = 0;
        int minBucket = Buckets, maxBucket = -1;
        for (var j = 0; j < row.Length; j++)
        {
            var x = row[j];
            if (float.IsFinite(x))
            {
                var key = CrossSectionOrder.Key(x, j);
                keys[m++] = key;
                var b = (int)(key >> Shift);
                histogram[b]++;
                minBucket = Math.Min(minBucket, b);
                maxBucket = Math.Max(maxBucket, b);
            }
        }

        bottom = (int)Math.Floor(m * bottomFraction);
        top = Math.Min((int)Math.Floor(m * topFraction), topCap);
        if (bottom + top > m)
        {
            throw new InvalidOperationException($"Cannot take {bottom} + {top} names out of {m}.");
        }

        // Boundary buckets: the one holding the bottom-th smallest key and the one holding the top-th largest.
        int lowBucket = -1, belowLow = 0;
        if (bottom > 0)
        {
            var seen = 0;
            for (var b = minBucket; b <= maxBucket; b++)
            {
                if (seen + histogram[b] >= bottom)
                {
                    lowBucket = b;
                    belowLow = seen;
                    break;
                }

                seen += histogram[b];
            }
        }

        int highBucket = Buckets, aboveHigh = 0;
        if (top > 0)
        {
            var seen = 0;
            for (var b = maxBucket; b >= minBucket; b--)
            {
                if (seen + histogram[b] >= top)
                {
                    highBucket = b;
                    aboveHigh = seen;
                    break;
                }

                seen += histogram[b];
            }
        }

        int nb = 0, nt = 0, nLow = 0, nHigh = 0;
        for (var s = 0; s < m; s++)
        {
            var key = keys[s];
            var b = (int)(key >> Shift);
            if (b < lowBucket)
            {
                bottomNames[nb++] = CrossSectionOrder.Index(key);
            }
            else if (b > highBucket)
            {
                topNames[nt++] = CrossSectionOrder.Index(key);
            }
            else if (b == lowBucket)
            {
                // A bucket holding both boundaries is collected once, in the low list.
                _low[nLow++] = key;
            }
            else if (b == highBucket)
            {
                _high[nHigh++] = key;
            }
        }

        var needLow = bottom - belowLow;
        var needHigh = top - aboveHigh;
        if (lowBucket == highBucket)
        {
            var shared = _low.AsSpan(0, nLow);
            TakeSmallest(shared, needLow, bottomNames[nb..]);
            TakeLargest(shared[needLow..], needHigh, topNames[nt..]);
        }
        else
        {
            if (needLow > 0)
            {
                TakeSmallest(_low.AsSpan(0, nLow), needLow, bottomNames[nb..]);
            }

            if (needHigh > 0)
            {
                TakeLargest(_high.AsSpan(0, nHigh), needHigh, topNames[nt..]);
            }
        }

        return m;
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
