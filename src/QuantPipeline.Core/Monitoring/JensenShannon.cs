namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Jensen–Shannon distance between two discrete distributions in base 2, so it lies in [0, 1]:
/// JSD = √((KL(p‖m) + KL(q‖m)) / 2 / ln 2) with m = (p + q)/2 and 0·log 0 = 0. Inputs are normalised
/// to sum to 1 first, as scipy.spatial.distance.jensenshannon(p, q, base=2) does.
/// </summary>
public static class JensenShannon
{
    public static double Distance(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length || p.Length == 0)
        {
            throw new ArgumentException($"Both distributions need the same, non-zero number of bins; got {p.Length} and {q.Length}.");
        }

        double sumP = 0, sumQ = 0;
        for (var b = 0; b < p.Length; b++)
        {
            if (p[b] < 0 || q[b] < 0 || !double.IsFinite(p[b]) || !double.IsFinite(q[b]))
            {
                throw new ArgumentException($"Bin {b} holds a negative or non-finite probability ({p[b]}, {q[b]}).");
            }

            sumP += p[b];
            sumQ += q[b];
        }

        if (sumP <= 0 || sumQ <= 0)
        {
            return double.NaN;
        }

        double divergence = 0;
        for (var b = 0; b < p.Length; b++)
        {
            double pb = p[b] / sumP, qb = q[b] / sumQ, mb = 0.5 * (pb + qb);
            if (pb > 0)
            {
                divergence += pb * Math.Log(pb / mb);
            }

            if (qb > 0)
            {
                divergence += qb * Math.Log(qb / mb);
            }
        }

        // Rounding can leave a tiny negative value for identical inputs.
        return Math.Sqrt(Math.Max(0.0, divergence / 2 / Math.Log(2)));
    }
}
