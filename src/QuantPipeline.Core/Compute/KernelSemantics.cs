namespace QuantPipeline.Core.Compute;

/// <summary>
/// Rules every backend follows, written down once:
/// <list type="bullet">
/// <item>NaN is skipped but occupies its slot in the window (a 20-bar window always spans 20 timestamps).</item>
/// <item>An output is NaN unless its window holds at least <c>minPeriods</c> finite values; the default is the window.</item>
/// <item>Sums accumulate in float64, so float32 storage does not lose precision over long series.</item>
/// </list>
/// </summary>
public static class KernelSemantics
{
    public static void Validate(int srcLength, int dstLength, int t, int n, int window, int minPeriods)
    {
        if (t < 0 || n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), $"Shape must be non-negative, got [{t}, {n}].");
        }

        if ((long)t * n != srcLength || (long)t * n != dstLength)
        {
            throw new ArgumentException($"Buffers of length {srcLength} and {dstLength} do not match shape [{t}, {n}].");
        }

        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"Window must be at least 1, got {window}.");
        }

        if (minPeriods < 0 || minPeriods > window)
        {
            throw new ArgumentOutOfRangeException(nameof(minPeriods), $"minPeriods must be in [0, {window}], got {minPeriods}.");
        }
    }
}
