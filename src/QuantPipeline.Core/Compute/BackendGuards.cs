namespace QuantPipeline.Core.Compute;

/// <summary>
/// Argument checks shared by the native and GPU backends, so a bad call fails the same way (and with the same
/// message) whichever backend runs it, before any buffer reaches native or device code.
/// </summary>
internal static class BackendGuards
{
    public static void SameLength(int a, int b, string what)
    {
        if (a != b)
        {
            throw new ArgumentException($"{what}: buffers of length {a} and {b} differ; every input and the output must have the same length.");
        }
    }

    public static void Shape(int length, int dstLength, int t, int n, string what)
    {
        if (t < 0 || n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), $"{what}: shape must be non-negative, got [{t}, {n}].");
        }

        if ((long)t * n != length || (long)t * n != dstLength)
        {
            throw new ArgumentException($"{what}: buffers of length {length} and {dstLength} do not match shape [{t}, {n}] (time-major, t * n cells).");
        }
    }

    public static void Rolling(int length, int dstLength, int t, int n, RollingSpec spec, string what)
    {
        Shape(length, dstLength, t, n, what);
        KernelSemantics.Validate(length, dstLength, t, n, spec.Window, spec.EffectiveMinPeriods);
        if (spec.Ddof < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"{what}: ddof must be non-negative, got {spec.Ddof}.");
        }

        if (!(spec.Quantile >= 0 && spec.Quantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"{what}: quantile must be in [0, 1], got {spec.Quantile}.");
        }
    }

    public static void Ewm(EwmSpec spec)
    {
        if (!(spec.Alpha > 0 && spec.Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"ewm: alpha must be in (0, 1], got {spec.Alpha}.");
        }

        if (spec.MinPeriods < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"ewm: minPeriods must be non-negative, got {spec.MinPeriods}.");
        }
    }

    public static void Period(int period, string what)
    {
        if (period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(period), $"{what}: period must be at least 1, got {period}.");
        }
    }

    public static void CrossSectional(int maskLength, int length, CrossSectionalSpec spec)
    {
        if (maskLength != 0 && maskLength != length)
        {
            throw new ArgumentException($"cross-sectional: the mask has {maskLength} cells but the panel has {length}; pass an empty mask for 'every symbol is a member'.");
        }

        if (!(spec.Lower >= 0 && spec.Lower <= spec.Upper && spec.Upper <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"cross-sectional: winsorising quantiles must satisfy 0 <= lower <= upper <= 1, got {spec.Lower} and {spec.Upper}.");
        }

        if (spec.Ddof < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"cross-sectional: ddof must be non-negative, got {spec.Ddof}.");
        }
    }

    public static void Limit(int limit)
    {
        if (limit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), $"fill-forward: limit must be non-negative (0 = no limit), got {limit}.");
        }
    }
}
