using System.Runtime.Intrinsics.X86;

namespace QuantPipeline.Core.Backtest;

/// <summary>
/// The close-execution book pass of <see cref="VectorisedBacktest"/> over the held names only: a quantile or top-k
/// book holds a small fraction of the cross-section, so each bar touches the held names (close the unpriced, accrue,
/// drift) and, on a trade bar, the target row — turnover is the sparse difference between the drifted book and the
/// targets, gathered through one dense scratch row that is cleared again as it is read. Per bar the work is
/// proportional to the names held and targeted, not to the width of the panel.
/// </summary>
internal sealed class SparseBookPass(BacktestInputs inputs, TargetBook targets, BacktestOptions options)
{
    private readonly int _n = inputs.N;
    private readonly double _commissionRate = options.CommissionBps * 1e-4;
    private readonly double _spreadRate = options.HalfSpreadBps * 1e-4;
    private readonly bool _impact = options.ImpactBps > 0;

    // One spread rate for every name and no impact: costs follow from the turnover alone, so the hot loops only sum |Δw|.
    private readonly bool _uniformCosts = inputs.HalfSpreadBps is null && !(options.ImpactBps > 0);

    public BacktestBars Run()
    {
        int t = inputs.T, n = _n;
        var bars = BacktestBars.Allocate(t);
        var positions = options.RecordPositions ? new double[(long)t * n] : null;
        var names = new int[n];
        var weights = new double[n];
        var growth = new double[n];
        var nextNames = new int[n];
        var nextWeights = new double[n];
        var current = new double[n];
        var held = 0;
        var returnsPanel = inputs.Returns;
        var borrowRate = options.BorrowBpsPerYear * 1e-4 / options.PeriodsPerYear;
        var uniformCosts = _uniformCosts;
        for (var i = 0; i < t; i++)
        {
            var offset = i * n;
            // Accumulators are locals: fields would chain every addition through memory.
            double turnover = 0, turnover1 = 0, spread = 0, impactSum = 0;
            PrefetchRow(returnsPanel, offset + n, n);

            // Close what has no price at this bar (at its last price), then accrue and drift the rest.
            // Sums alternate between two accumulators by position, so consecutive additions do not wait on each other.
            double gross = 0, shortBook = 0, gross1 = 0, shortBook1 = 0;
            var kept = 0;
            for (var h = 0; h < held; h++)
            {
                var j = names[h];
                var r = returnsPanel[offset + j];
                var w = weights[h];
                if (!float.IsFinite(r))
                {
                    var size = Math.Abs(w);
                    turnover += size;
                    spread += size * HalfSpread(i, j);
                    bars.ForcedCloses[i] += w != 0 ? 1 : 0;
                    continue;
                }

                if ((h & 1) == 0)
                {
                    gross += w * r;
                    shortBook += Math.Max(-w, 0);
                }
                else
                {
                    gross1 += w * r;
                    shortBook1 += Math.Max(-w, 0);
                }

                names[kept] = j;
                weights[kept] = w;
                growth[kept] = 1 + (double)r;
                kept++;
            }

            held = kept;
            gross += gross1;
            shortBook += shortBook1;
            if (gross != -1)
            {
                var scale = 1 / (1 + gross);
                for (var h = 0; h < held; h++)
                {
                    weights[h] = weights[h] * growth[h] * scale;
                }
            }

            var signalRow = i - options.DelayBars;
            if (signalRow >= 0 && signalRow % options.RebalanceEvery == 0)
            {
                for (var h = 0; h < held; h++)
                {
                    current[names[h]] = weights[h];
                }

                // Targets without a price at the fill stay in cash; a held name is never unpriced here (closed above).
                targets.WaitRow(signalRow);
                var targetNames = targets.Names(signalRow);
                var equalWeight = targets.Sides(signalRow, out var split, out var first, out var second);
                var targetWeights = equalWeight ? default : targets.Weights(signalRow);
                var count = 0;
                for (var s = 0; s < targetNames.Length; s++)
                {
                    var j = targetNames[s];
                    if (!float.IsFinite(returnsPanel[offset + j]))
                    {
                        continue;
                    }

                    var goal = equalWeight ? (s < split ? first : second) : targetWeights[s];
                    var size = Math.Abs(goal - current[j]);
                    if ((s & 1) == 0)
                    {
                        turnover += size;
                    }
                    else
                    {
                        turnover1 += size;
                    }

                    if (!uniformCosts)
                    {
                        var (spreadCost, impactCost) = Costs(size, i, j, signalRow);
                        spread += spreadCost;
                        impactSum += impactCost;
                    }

                    current[j] = 0;
                    if (goal != 0)
                    {
                        nextNames[count] = j;
                        nextWeights[count] = goal;
                        count++;
                    }
                }

                // Held names that are no longer targets are sold out (their scratch entry is still set).
                for (var h = 0; h < held; h++)
                {
                    var j = names[h];
                    var size = Math.Abs(current[j]);
                    if ((h & 1) == 0)
                    {
                        turnover += size;
                    }
                    else
                    {
                        turnover1 += size;
                    }

                    if (!uniformCosts)
                    {
                        var (spreadCost, impactCost) = Costs(size, i, j, signalRow);
                        spread += spreadCost;
                        impactSum += impactCost;
                    }

                    current[j] = 0;
                }

                (names, nextNames) = (nextNames, names);
                (weights, nextWeights) = (nextWeights, weights);
                held = count;
            }

            turnover += turnover1;
            double longs = 0, shorts = 0, longs1 = 0, shorts1 = 0;
            int longCount = 0, shortCount = 0;
            for (var h = 0; h < held; h++)
            {
                var w = weights[h];
                if ((h & 1) == 0)
                {
                    longs += Math.Max(w, 0);
                    shorts += Math.Max(-w, 0);
                }
                else
                {
                    longs1 += Math.Max(w, 0);
                    shorts1 += Math.Max(-w, 0);
                }

                longCount += w > 0 ? 1 : 0;
                shortCount += w < 0 ? 1 : 0;
                if (positions is not null)
                {
                    positions[(long)i * n + names[h]] = w;
                }
            }

            longs += longs1;
            shorts += shorts1;

            if (_uniformCosts)
            {
                // Forced closes included: with one rate everywhere the spread is the turnover times the rate.
                spread = turnover * _spreadRate;
            }

            var commission = turnover * _commissionRate;
            var impact = impactSum * options.ImpactBps * 1e-4;
            bars.Gross[i] = gross;
            bars.Borrow[i] = shortBook * borrowRate;
            bars.Turnover[i] = turnover;
            bars.Commission[i] = commission;
            bars.Spread[i] = spread;
            bars.Impact[i] = impact;
            bars.Net[i] = gross - commission - spread - impact - bars.Borrow[i];
            (bars.LongExposure[i], bars.ShortExposure[i], bars.Longs[i], bars.Shorts[i]) = (longs, shorts, longCount, shortCount);
        }

        return bars with { Positions = positions };
    }

    /// <summary>
    /// Asks for the next bar's returns row ahead of time: the held names touch nearly every cache line of a row in
    /// random order, which the hardware prefetcher cannot follow.
    /// </summary>
    private static unsafe void PrefetchRow(float[] panel, int start, int length)
    {
        if (!Sse.IsSupported || start + length > panel.Length)
        {
            return;
        }

        fixed (float* row = &panel[start])
        {
            for (var j = 0; j < length; j += 16)
            {
                Sse.Prefetch0(row + j);
            }
        }
    }

    /// <summary>Half-spread and square-root impact terms of a trade of |Δw| = <paramref name="size"/> in name <paramref name="j"/>.</summary>
    private (double Spread, double Impact) Costs(double size, int bar, int j, int signalRow)
    {
        if (size == 0)
        {
            return (0, 0);
        }

        double impact = 0;
        if (_impact)
        {
            // Missing volume counts as trading a whole day's volume.
            var v = inputs.AverageDollarVolume is { } panel ? panel[signalRow * _n + j] : float.NaN;
            var ratio = v > 0 ? options.Capital / v : double.NaN;
            var participation = double.IsFinite(ratio) ? size * ratio : 1.0;
            impact = size * Math.Sqrt(participation);
        }

        return (size * HalfSpread(bar, j), impact);
    }

    private double HalfSpread(int bar, int j)
    {
        if (inputs.HalfSpreadBps is { } panel)
        {
            var x = panel[bar * _n + j];
            if (float.IsFinite(x))
            {
                return x * 1e-4;
            }
        }

        return _spreadRate;
    }
}
