namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Ordering keys for one cross-section: the float's bits made monotone as an unsigned integer in the high half and
/// the name's index in the low half, so every key is distinct and ties rank by index (a lower index ranks lower).
/// </summary>
internal static class CrossSectionOrder
{
    public static ulong Key(float value, int index)
    {
        var bits = BitConverter.SingleToUInt32Bits(value + 0f); // −0 → +0
        var monotone = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)monotone << 32) | (uint)index;
    }

    public static int Index(ulong key) => (int)(uint)key;

    public static uint ValueBits(ulong key) => (uint)(key >> 32);

    /// <summary>Rearranges <paramref name="keys"/> so that keys[k] is the k-th smallest, with smaller keys before it and larger after.</summary>
    public static void Select(Span<ulong> keys, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                keys.Slice(lo, hi - lo + 1).Sort();
                return;
            }

            // Median of three as the pivot, then Hoare partition (keys are distinct).
            var mid = lo + ((hi - lo) >> 1);
            if (keys[mid] < keys[lo])
            {
                (keys[mid], keys[lo]) = (keys[lo], keys[mid]);
            }

            if (keys[hi] < keys[lo])
            {
                (keys[hi], keys[lo]) = (keys[lo], keys[hi]);
            }

            if (keys[hi] < keys[mid])
            {
                (keys[hi], keys[mid]) = (keys[mid], keys[hi]);
            }

            var pivot = keys[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }

                while (keys[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }
}
