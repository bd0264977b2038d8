using QuantPipeline.Core.Backtest;

namespace QuantPipeline.Core.Tests.Backtest;

/// <summary>
/// A plain float64 reference of the documented backtest semantics: dense loops over every name, targets from a full
/// LINQ sort, caps applied greedily from the largest raw weight down. Written independently of the engine.
/// </summary>
internal static class ReferenceBacktest
{
    public static (double[] Gross, double[] Net, double[] Turnover, double[] Costs, double[] Weights) Run(BacktestInputs x, BacktestOptions o)
    {
        int t = x.T, n = x.N;
        var w = new double[n];
        var gross = new double[t];
        var net = new double[t];
        var turnover = new double[t];
        var costs = new double[t];
        var positions = new double[t * n];
        for (var i = 0; i < t; i++)
        {
            double cost = 0, traded = 0;
            double Spread(int j) => x.HalfSpreadBps is { } p && float.IsFinite(p[i * n + j]) ? p[i * n + j] : o.HalfSpreadBps;
            for (var j = 0; j < n; j++)
            {
                if (w[j] != 0 && float.IsNaN(x.Returns[i * n + j]))
                {
                    traded += Math.Abs(w[j]);
                    cost += Math.Abs(w[j]) * (o.CommissionBps + Spread(j)) * 1e-4;
                    w[j] = 0;
                }
            }

            var borrow = w.Sum(v => Math.Max(0, -v)) * o.BorrowBpsPerYear * 1e-4 / o.PeriodsPerYear;
            var s = o.Execution == ExecutionTiming.Close ? i - o.DelayBars : i - 1;
            var trade = s >= 0 && s % o.RebalanceEvery == 0;
            double R;
            void Drift(Func<int, double> r)
            {
                var total = Enumerable.Range(0, n).Sum(j => w[j] * (w[j] == 0 ? 0 : r(j)));
                for (var j = 0; j < n; j++)
                {
                    w[j] = w[j] == 0 ? 0 : w[j] * (1 + r(j)) / (1 + total);
                }

                R = total;
            }

            void Trade(Func<int, bool> tradable)
            {
                var target = Targets(x.Signal.AsSpan(s * n, n).ToArray(), o);
                for (var j = 0; j < n; j++)
                {
                    var goal = tradable(j) ? target[j] : w[j];
                    var d = Math.Abs(goal - w[j]);
                    if (d == 0)
                    {
                        continue;
                    }

                    traded += d;
                    cost += d * (o.CommissionBps + Spread(j)) * 1e-4;
                    if (o.ImpactBps > 0)
                    {
                        var adv = x.AverageDollarVolume?[s * n + j] ?? float.NaN;
                        cost += d * o.ImpactBps * 1e-4 * Math.Sqrt(adv > 0 ? d * o.Capital / adv : 1);
                    }

                    w[j] = goal;
                }
            }

            R = 0;
            if (trade && o.Execution == ExecutionTiming.NextOpen)
            {
                double Gap(int j) => float.IsFinite(x.OpenGap![i * n + j]) ? x.OpenGap[i * n + j] : 0;
                Drift(Gap);
                var overnight = R;
                Trade(j => float.IsFinite(x.Returns[i * n + j]) && float.IsFinite(x.OpenGap![i * n + j]));
                Drift(j => (1 + (double)x.Returns[i * n + j]) / (1 + Gap(j)) - 1);
                gross[i] = (1 + overnight) * (1 + R) - 1;
            }
            else
            {
                Drift(j => x.Returns[i * n + j]);
                gross[i] = R;
                if (trade)
                {
                    Trade(j => float.IsFinite(x.Returns[i * n + j]));
                }
            }

            turnover[i] = traded;
            costs[i] = cost + borrow;
            net[i] = gross[i] - costs[i];
            Array.Copy(w, 0, positions, i * n, n);
        }

        return (gross, net, turnover, costs, positions);
    }

    public static double[] Targets(float[] signal, BacktestOptions o)
    {
        var n = signal.Length;
        var target = new double[n];
        var ordered = Enumerable.Range(0, n).Where(j => float.IsFinite(signal[j])).OrderBy(j => signal[j]).ThenBy(j => j).ToArray();
        var m = ordered.Length;
        switch (o.Construction)
        {
            case PortfolioConstruction.LongShortQuantile:
                var k = (int)Math.Floor(m * o.Quantile);
                for (var q = 0; q < k; q++)
                {
                    target[ordered[m - 1 - q]] = Math.Min(o.GrossLeverage / 2 / k, o.MaxWeight);
                    target[ordered[q]] = -Math.Min(o.GrossLeverage / 2 / k, o.MaxWeight);
                }

                break;
            case PortfolioConstruction.LongOnlyTopK:
                var top = Math.Min(o.TopK, m);
                foreach (var j in ordered.Skip(m - top))
                {
                    target[j] = Math.Min(o.GrossLeverage / top, o.MaxWeight);
                }

                break;
            default:
                if (m < 2)
                {
                    break;
                }

                var raw = new double[n];
                foreach (var j in ordered)
                {
                    // average rank of ties, 1-based
                    var below = ordered.Count(other => signal[other] < signal[j]);
                    var equal = ordered.Count(other => signal[other] == signal[j]);
                    var rank = below + (equal + 1) / 2.0;
                    raw[j] = o.DollarNeutral ? rank - (m + 1) / 2.0 : rank;
                }

                if (o.DollarNeutral)
                {
                    var l = Greedy(raw, target, +1, o.GrossLeverage / 2, o.MaxWeight);
                    var s = Greedy(raw, target, -1, o.GrossLeverage / 2, o.MaxWeight);
                    var matched = Math.Min(l, s);
                    for (var j = 0; j < n; j++)
                    {
                        target[j] *= target[j] > 0 ? matched / l : target[j] < 0 ? matched / s : 1;
                    }
                }
                else
                {
                    Greedy(raw, target, +1, o.GrossLeverage, o.MaxWeight);
                }

                break;
        }

        return target;
    }

    private static double Greedy(double[] raw, double[] target, int sign, double gross, double cap)
    {
        var side = Enumerable.Range(0, raw.Length).Where(j => raw[j] * sign > 0).OrderByDescending(j => Math.Abs(raw[j])).ToArray();
        var remainingRaw = side.Sum(j => Math.Abs(raw[j]));
        var remaining = gross;
        double total = 0;
        foreach (var j in side)
        {
            var w = Math.Min(Math.Abs(raw[j]) * remaining / remainingRaw, cap);
            target[j] = sign * w;
            remaining -= w;
            remainingRaw -= Math.Abs(raw[j]);
            total += w;
        }

        return total;
    }
}
