namespace QuantPipeline.Core.Backtest;

/// <summary>Per-bar outcome of a backtest, aligned with the signal timestamps.</summary>
public sealed record BacktestResult(double[] GrossReturns, double[] NetReturns, double[] Turnover, int[] LongCount, int[] ShortCount);

/// <summary>
/// Long the top quantile and short the bottom quantile of a signal at each timestamp, equal weight,
/// dollar-neutral with gross exposure 1 (+0.5 long, −0.5 short). The position taken on the signal at t
/// earns the forward return from t to t+1; costs are <c>costBps</c> × turnover, turnover = Σ|w_t − w_{t−1}|.
/// </summary>
public static class LongShortBacktest
{
    public static BacktestResult Run(
        ReadOnlySpan<float> signal,
        ReadOnlySpan<float> forwardReturns,
        int t,
        int n,
        double quantile = 0.1,
        double costBps = 5.0)
    {
        if (signal.Length != t * n || forwardReturns.Length != t * n)
        {
            throw new ArgumentException($"Signal ({signal.Length}) and returns ({forwardReturns.Length}) must both hold {t}×{n} values.");
        }

        if (quantile is <= 0 or > 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), $"Quantile must be in (0, 0.5], got {quantile}.");
        }

        var gross = new double[t];
        var net = new double[t];
        var turnover = new double[t];
        var longs = new int[t];
        var shorts = new int[t];
        var previous = new double[n];
        var weights = new double[n];
        var order = new int[n];
        var keys = new float[n];
        for (var i = 0; i < t; i++)
        {
            Array.Clear(weights);
            var row = signal.Slice(i * n, n);
            var ret = forwardReturns.Slice(i * n, n);
            var valid = 0;
            for (var j = 0; j < n; j++)
            {
                if (float.IsFinite(row[j]) && float.IsFinite(ret[j]))
                {
                    order[valid] = j;
                    keys[valid] = row[j];
                    valid++;
                }
            }

            var k = (int)Math.Floor(valid * quantile);
            if (k >= 1)
            {
                // Sort by signal, ties broken by symbol index so the result is deterministic.
                Array.Sort(keys, order, 0, valid);
                for (var s = 0; s < k; s++)
                {
                    weights[order[s]] = -0.5 / k;
                    weights[order[valid - 1 - s]] = 0.5 / k;
                }

                longs[i] = k;
                shorts[i] = k;
            }

            double pnl = 0, traded = 0;
            for (var j = 0; j < n; j++)
            {
                if (weights[j] != 0)
                {
                    pnl += weights[j] * ret[j];
                }

                traded += Math.Abs(weights[j] - previous[j]);
            }

            gross[i] = pnl;
            turnover[i] = traded;
            net[i] = pnl - costBps * 1e-4 * traded;
            (previous, weights) = (weights, previous);
        }

        return new BacktestResult(gross, net, turnover, longs, shorts);
    }
}
