namespace QuantPipeline.Core.Metrics;

/// <summary>Standard normal CDF and quantile in double precision (.NET has no erf).</summary>
public static class NormalDistribution
{
    private const double SqrtTwoPi = 2.5066282746310002;

    /// <summary>
    /// Φ(x) by Hart's rational approximation (algorithm 5666 as laid out by G. West, 2005) up to |x| = 5/√2·2,
    /// Laplace's continued fraction beyond; about 1e-15 absolute, with relative precision kept in the tails.
    /// </summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var a = Math.Abs(x);
        double tail;
        if (a > 37)
        {
            tail = 0;
        }
        else
        {
            var e = Math.Exp(-a * a / 2);
            if (a < 7.07106781186547)
            {
                var num = 3.52624965998911E-02 * a + 0.700383064443688;
                num = num * a + 6.37396220353165;
                num = num * a + 33.912866078383;
                num = num * a + 112.079291497871;
                num = num * a + 221.213596169931;
                num = num * a + 220.206867912376;
                var den = 8.83883476483184E-02 * a + 1.75566716318264;
                den = den * a + 16.064177579207;
                den = den * a + 86.7807322029461;
                den = den * a + 296.564248779674;
                den = den * a + 637.333633378831;
                den = den * a + 793.826512519948;
                den = den * a + 440.413735824752;
                tail = e * num / den;
            }
            else
            {
                // Laplace's continued fraction φ(a)/(a + 1/(a + 2/(a + 3/…))), taken deep enough for full precision.
                var b = a;
                for (var k = 24; k >= 1; k--)
                {
                    b = a + k / b;
                }

                tail = e / b / SqrtTwoPi;
            }
        }

        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>
    /// Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9) polished by one Halley step
    /// on <see cref="Cdf"/>, which brings it to the precision of the CDF.
    /// </summary>
    public static double InverseCdf(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"A probability in [0, 1] is needed, got {p}.");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        const double low = 0.02425;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = Tail(q);
        }
        else if (p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -Tail(q);
        }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }

        // Halley refinement; in the upper tail the error is measured on the complement to keep precision.
        var error = x > 0 ? (1 - p) - Cdf(-x) : Cdf(x) - p;
        var u = error * SqrtTwoPi * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);

        static double Tail(double q) =>
            (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
            / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
    }
}
