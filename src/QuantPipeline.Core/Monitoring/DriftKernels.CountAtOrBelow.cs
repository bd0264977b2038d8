using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Monitoring;

public static partial class DriftKernels
{
    /// <summary>
    /// One pass over the values: the number of finite values, and for each limit the number of finite values at or
    /// below it (limits ascending). Per vector of 16 (or 8) floats, a finite mask and one compare per limit are
    /// accumulated into per-lane counters; the remainder is done in scalar code because a counting pass cannot
    /// overlap its last vector with the previous one.
    /// </summary>
    public static int CountAtOrBelow(ReadOnlySpan<float> values, ReadOnlySpan<float> limits, Span<int> atOrBelow)
    {
        if (atOrBelow.Length != limits.Length)
        {
            throw new ArgumentException($"{limits.Length} limits need as many counts, got {atOrBelow.Length}.", nameof(atOrBelow));
        }

        atOrBelow.Clear();
        ref var start = ref MemoryMarshal.GetReference(values);
        var i = 0;
        var finite = 0;
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<float>.Count)
        {
            finite += CountVector512(ref start, values.Length, limits, atOrBelow, out i);
        }
        else if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            finite += CountVector256(ref start, values.Length, limits, atOrBelow, out i);
        }

        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!float.IsFinite(x))
            {
                continue;
            }

            finite++;
            for (var b = 0; b < limits.Length; b++)
            {
                atOrBelow[b] += x <= limits[b] ? 1 : 0;
            }
        }

        return finite;
    }

    private static int CountVector512(ref float start, int length, ReadOnlySpan<float> limits, Span<int> atOrBelow, out int done)
    {
        // A true compare lane is all ones (−1 as an int), so subtracting the mask counts it.
        Span<Vector512<int>> counters = stackalloc Vector512<int>[limits.Length];
        counters.Clear();
        var finiteCounter = Vector512<int>.Zero;
        var lowest = Vector512.Create(-float.MaxValue);
        var highest = Vector512.Create(float.MaxValue);
        var i = 0;
        for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var x = Vector512.LoadUnsafe(ref start, (nuint)i);
            var isFinite = Vector512.GreaterThanOrEqual(x, lowest) & Vector512.LessThanOrEqual(x, highest);
            finiteCounter -= isFinite.AsInt32();
            for (var b = 0; b < limits.Length; b++)
            {
                counters[b] -= (Vector512.LessThanOrEqual(x, Vector512.Create(limits[b])) & isFinite).AsInt32();
            }
        }

        for (var b = 0; b < limits.Length; b++)
        {
            atOrBelow[b] += Vector512.Sum(counters[b]);
        }

        done = i;
        return Vector512.Sum(finiteCounter);
    }

    private static int CountVector256(ref float start, int length, ReadOnlySpan<float> limits, Span<int> atOrBelow, out int done)
    {
        Span<Vector256<int>> counters = stackalloc Vector256<int>[limits.Length];
        counters.Clear();
        var finiteCounter = Vector256<int>.Zero;
        var lowest = Vector256.Create(-float.MaxValue);
        var highest = Vector256.Create(float.MaxValue);
        var i = 0;
        for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var x = Vector256.LoadUnsafe(ref start, (nuint)i);
            var isFinite = Vector256.GreaterThanOrEqual(x, lowest) & Vector256.LessThanOrEqual(x, highest);
            finiteCounter -= isFinite.AsInt32();
            for (var b = 0; b < limits.Length; b++)
            {
                counters[b] -= (Vector256.LessThanOrEqual(x, Vector256.Create(limits[b])) & isFinite).AsInt32();
            }
        }

        for (var b = 0; b < limits.Length; b++)
        {
            atOrBelow[b] += Vector256.Sum(counters[b]);
        }

        done = i;
        return Vector256.Sum(finiteCounter);
    }
}
