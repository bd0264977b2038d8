namespace QuantPipeline.Core.Metrics;

/// <summary>Summary of a per-bar information-coefficient series over the bars where it is defined.</summary>
/// <param name="Mean">Mean IC.</param>
/// <param name="Std">Sample standard deviation (ddof = 1).</param>
/// <param name="Icir">Mean / Std (per bar, not annualised).</param>
/// <param name="TStat">Mean / (Std / √Count).</param>
/// <param name="Count">Bars with a defined IC.</param>
public sealed record IcSummary(double Mean, double Std, double Icir, double TStat, int Count);

/// <summary>
/// Cross-sectional information coefficients between predictions and realised outcomes on time-major [t, n] panels:
/// Pearson (IC) and Spearman (Rank IC, average ranks for ties), per bar over the symbols where both are finite.
/// </summary>
public static class InformationCoefficient
{
    /// <summary>Pearson correlation per bar; NaN where fewer than 3 pairs are finite or either side is constant.</summary>
    public static double[] PerBar(ReadOnlySpan<float> predictions, ReadOnlySpan<float> outcomes, int t, int n) =>
        Compute(predictions, outcomes, t, n, rank: false);

    /// <summary>Spearman correlation per bar (Pearson on average ranks); NaN as for <see cref="PerBar"/>.</summary>
    public static double[] RankPerBar(ReadOnlySpan<float> predictions, ReadOnlySpan<float> outcomes, int t, int n) =>
        Compute(predictions, outcomes, t, n, rank: true);

    public static IcSummary Summarise(ReadOnlySpan<double> perBar)
    {
        double sum = 0;
        var count = 0;
        foreach (var x in perBar)
        {
            if (double.IsFinite(x))
            {
                sum += x;
                count++;
            }
        }

        if (count == 0)
        {
            return new IcSummary(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var mean = sum / count;
        double squares = 0;
        foreach (var x in perBar)
        {
            if (double.IsFinite(x))
            {
                squares += (x - mean) * (x - mean);
            }
        }

        var std = count > 1 ? Math.Sqrt(squares / (count - 1)) : double.NaN;
        var icir = std > 0 ? mean / std : double.NaN;
        return new IcSummary(mean, std, icir, icir * Math.Sqrt(count), count);
    }

    /// <summary>Average ranks (1-based) of <paramref name="values"/>; tied values share the mean of their positions.</summary>
    public static void AverageRanks(ReadOnlySpan<double> values, Span<double> ranks)
    {
        var order = new int[values.Length];
        var keys = values.ToArray();
        for (var k = 0; k < order.Length; k++)
        {
            order[k] = k;
        }

        Array.Sort(keys, order);
        var start = 0;
        while (start < keys.Length)
        {
            var end = start;
            while (end + 1 < keys.Length && keys[end + 1] == keys[start])
            {
                end++;
            }

            var average = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = average;
            }

            start = end + 1;
        }
    }

    private static double[] Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> outcomes, int t, int n, bool rank)
    {
        if (predictions.Length != t * n || outcomes.Length != t * n)
        {
            throw new ArgumentException($"Predictions ({predictions.Length}) and outcomes ({outcomes.Length}) must both hold {t}×{n} values.");
        }

        var result = new double[t];
        var x = new double[n];
        var y = new double[n];
        var rx = new double[n];
        var ry = new double[n];
        for (var i = 0; i < t; i++)
        {
            var m = 0;
            for (var j = 0; j < n; j++)
            {
                var p = predictions[i * n + j];
                var o = outcomes[i * n + j];
                if (float.IsFinite(p) && float.IsFinite(o))
                {
                    x[m] = p;
                    y[m] = o;
                    m++;
                }
            }

            if (m < 3)
            {
                result[i] = double.NaN;
                continue;
            }

            if (rank)
            {
                AverageRanks(x.AsSpan(0, m), rx);
                AverageRanks(y.AsSpan(0, m), ry);
                result[i] = Pearson(rx.AsSpan(0, m), ry.AsSpan(0, m));
            }
            else
            {
                result[i] = Pearson(x.AsSpan(0, m), y.AsSpan(0, m));
            }
        }

        return result;
    }

    private static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
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
            var dx = x[k] - mx;
            var dy = y[k] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
