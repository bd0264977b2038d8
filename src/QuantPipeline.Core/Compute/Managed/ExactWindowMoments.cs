namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// The recompute of the running-moment kernels: exact shifted sums of one symbol's window, from the stored values.
/// The rolling moments and the fused F8 sweep fall back to it when cancellation could have eaten their running sums.
/// </summary>
internal static unsafe class ExactWindowMoments
{
    /// <summary>
    /// Sums of one symbol's window of <paramref name="window"/> rows ending at row <paramref name="i"/> of a time-major
    /// [t × <paramref name="n"/>] panel, shifted by its newest finite value: Σd, Σd², the finite count and max d².
    /// </summary>
    public static (double Shift, double S1, double S2, double Count, double Peak) Of(float* source, int n, int window, int symbol, int i)
    {
        var start = Math.Max(0, i - window + 1);
        var c = 0.0;
        for (var r = i; r >= start; r--)
        {
            var v = source[(long)r * n + symbol];
            if (float.IsFinite(v))
            {
                c = v;
                break;
            }
        }

        double a = 0, b = 0, p = 0;
        var k = 0;
        for (var r = start; r <= i; r++)
        {
            var v = source[(long)r * n + symbol];
            if (float.IsFinite(v))
            {
                var d = v - c;
                a += d;
                b += d * d;
                p = Math.Max(p, d * d);
                k++;
            }
        }

        return (c, a, b, k, p);
    }
}
