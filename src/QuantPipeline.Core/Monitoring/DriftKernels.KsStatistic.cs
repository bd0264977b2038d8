using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Monitoring;

public static partial class DriftKernels
{
    /// <summary>
    /// Two-sample KS statistic D = sup |F_ref − F_cur| of a sorted reference (the sketch) against an unsorted current
    /// sample, without sorting it. Between consecutive reference values F_ref is flat and F_cur only rises, so the
    /// supremum is reached at a reference value r (gap F_ref(r) − #{x ≤ r}/m) or just below one (gap
    /// F_ref(r⁻) − #{x &lt; r}/m). Both counts for every r come from two histograms of where each current value falls
    /// among the reference values, summed cumulatively: O(m log n) for m values and a
    /// sketch of n, and the same D as the merge over both sorted samples.
    /// </summary>
    /// <param name="finite">Number of finite values in <paramref name="current"/> (the m of the ECDF).</param>
    public static double KsStatistic(ReadOnlySpan<double> sortedReference, ReadOnlySpan<float> current, int finite)
    {
        var n = sortedReference.Length;
        if (n == 0 || finite == 0)
        {
            return double.NaN;
        }

        // below[k]: values with exactly k reference values below them. past[k]: the same index, plus one when the
        // value equals a reference value. D is read only at the first index of each run of equal reference values,
        // where the cumulative sum of past counts the values strictly below the run, so the one binary search per
        // value also serves the tied case (the true count at or below would lie anywhere past the run's start).
        var below = new int[n + 1];
        var past = new int[n + 1];
        foreach (var value in current)
        {
            if (!float.IsFinite(value))
            {
                continue;
            }

            double x = value;
            var lower = LowerBound(sortedReference, x);
            below[lower]++;
            past[lower + (lower < n ? Unsafe.BitCast<bool, byte>(sortedReference[lower] == x) : 0)]++;
        }

        // Over a run of equal reference values r = sortedReference[k .. end): F_ref(r) = end/n and F_ref(r⁻) = k/n;
        // x ≤ r exactly when at most k reference values lie below x, and x < r exactly when its past index is at
        // most k, so both counts are cumulative sums of the histograms up to k.
        double m = finite, d = 0;
        int notAbove = 0, strictlyBelow = 0, summed = 0, k = 0;
        while (k < n)
        {
            var end = k + 1;
            while (end < n && sortedReference[end] == sortedReference[k])
            {
                end++;
            }

            for (; summed <= k; summed++)
            {
                notAbove += below[summed];
                strictlyBelow += past[summed];
            }

            d = Math.Max(d, Math.Abs((double)end / n - notAbove / m));
            d = Math.Max(d, Math.Abs((double)k / n - strictlyBelow / m));
            k = end;
        }

        return d;
    }

    /// <summary>Number of sorted values strictly below x.</summary>
    private static int LowerBound(ReadOnlySpan<double> sorted, double x)
    {
        // Branch-free halving (the step is taken with arithmetic, not a jump): current values fall anywhere among
        // the reference values, so a branching search mispredicts about every other step.
        int start = 0, length = sorted.Length;
        while (length > 1)
        {
            var half = length >> 1;
            start += half & -Unsafe.BitCast<bool, byte>(sorted[start + half] < x);
            length -= half;
        }

        return start + Unsafe.BitCast<bool, byte>(sorted[start] < x);
    }
}
