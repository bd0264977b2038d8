namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Cross-sectional information coefficient per session of a [T, N] time-major prediction panel against realised
/// returns: Pearson correlation (IC) and Spearman correlation of average ranks (Rank IC), over symbols where both
/// are finite. A session with fewer than <see cref="MinimumSymbols"/> such symbols, or no dispersion, gives NaN.
/// </summary>
public static class InformationCoefficient
{
    public const int MinimumSymbols = 3;

    public static double[] Daily(ReadOnlySpan<float> predictions, ReadOnlySpan<float> realised, int t, int n, bool rank)
    {
        if (predictions.Length != t * n || realised.Length != t * n)
        {
            throw new ArgumentException($"Predictions ({predictions.Length}) and realised returns ({realised.Length}) must both hold {t}×{n} values.");
        }

        var ic = new double[t];
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < t; i++)
        {
            var count = 0;
            for (var j = 0; j < n; j++)
            {
                float p = predictions[i * n + j], r = realised[i * n + j];
                if (float.IsFinite(p) && float.IsFinite(r))
                {
                    x[count] = p;
                    y[count] = r;
                    count++;
                }
            }

            if (count < MinimumSymbols)
            {
                ic[i] = double.NaN;
                continue;
            }

            if (rank)
            {
                AverageRanks(x.AsSpan(0, count));
                AverageRanks(y.AsSpan(0, count));
            }

            ic[i] = Pearson(x.AsSpan(0, count), y.AsSpan(0, count));
        }

        return ic;
    }

    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var k = 0; k < x.Length; k++)
        {
            mx += x[k];
            my += y[k];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var k = 0; k < x.Length; k++)
        {
            double dx = x[k] - mx, dy = y[k] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Replaces values by their 1-based ranks, ties sharing the average rank.</summary>
    public static void AverageRanks(Span<double> values)
    {
        var order = new int[values.Length];
        for (var k = 0; k < order.Length; k++)
        {
            order[k] = k;
        }

        var copy = values.ToArray();
        Array.Sort(order, (a, b) => copy[a].CompareTo(copy[b]));
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && copy[order[end + 1]] == copy[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                values[order[k]] = rank;
            }

            start = end + 1;
        }
    }
}
