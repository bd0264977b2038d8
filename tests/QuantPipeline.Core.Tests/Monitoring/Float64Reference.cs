namespace QuantPipeline.Core.Tests.Monitoring;

/// <summary>Plain, slow float64 loops that the monitoring code is checked against.</summary>
internal static class Float64Reference
{
    /// <summary>KS D by brute force: the ECDF gap evaluated at every pooled value, counting with plain loops.</summary>
    public static double KsStatistic(double[] a, double[] b)
    {
        double d = 0;
        foreach (var x in a.Concat(b))
        {
            double fa = a.Count(v => v <= x) / (double)a.Length;
            double fb = b.Count(v => v <= x) / (double)b.Length;
            d = Math.Max(d, Math.Abs(fa - fb));
        }

        return d;
    }

    /// <summary>Kolmogorov survival by the alternating series, summed far past convergence.</summary>
    public static double KolmogorovSurvival(double lambda)
    {
        double sum = 0;
        for (var k = 1; k <= 5000; k++)
        {
            sum += Math.Pow(-1, k - 1) * Math.Exp(-2.0 * k * k * lambda * lambda);
        }

        return 2 * sum;
    }

    public static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        var vx = x.Sum(a => (a - mx) * (a - mx));
        var vy = y.Sum(b => (b - my) * (b - my));
        return cov / Math.Sqrt(vx * vy);
    }

    /// <summary>Average ranks by counting: 1 + (number smaller) + (number of other equal values) / 2.</summary>
    public static double[] Ranks(double[] x) =>
        [.. x.Select((v, i) => 1 + x.Count(w => w < v) + 0.5 * (x.Count(w => w == v) - 1))];

    public static double Spearman(double[] x, double[] y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Jensen–Shannon distance in base 2 straight from the definition.</summary>
    public static double JensenShannonBase2(double[] p, double[] q)
    {
        var sp = p.Sum();
        var sq = q.Sum();
        double kl1 = 0, kl2 = 0;
        for (var i = 0; i < p.Length; i++)
        {
            double pi = p[i] / sp, qi = q[i] / sq, m = (pi + qi) / 2;
            kl1 += pi > 0 ? pi * Math.Log2(pi / m) : 0;
            kl2 += qi > 0 ? qi * Math.Log2(qi / m) : 0;
        }

        return Math.Sqrt((kl1 + kl2) / 2);
    }

    public static double[] Normal(Random rng, int count, double mean, double sd)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        }

        return values;
    }
}
