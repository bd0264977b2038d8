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
    private double _turnover, _spread, _impactSum;

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
        for (var i = 0; i < t; i++)
        {
            var offset = i * n;
            _turnover = _spread = _impactSum = 0;

            // Close what has no price at this bar (at its last price), then accrue and drift the rest.
            double gross = 0, shortBook = 0;
            var kept = 0;
            for (var h = 0; h < held; h++)
            {
                var j = names[h];
                var r = returnsPanel[offset + j];
                var w = weights[h];
                if (!float.IsFinite(r))
                {
                    var size = Math.Abs(w);
                    _turnover += size;
                    _spread += size * HalfSpread(i, j);
                    bars.ForcedCloses[i] += w != 0 ? 1 : 0;
                    continue;
                }

                gross += w * r;
                shortBook += Math.Max(-w, 0);
                names[kept] = j;
                weights[kept] = w;
                growth[kept] = 1 + (double)r;
                kept++;
            }

            held = kept;
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
                var targetNames = targets.Names(signalRow);
                var targetWeights = targets.Weights(signalRow);
                var count = 0;
                for (var s = 0; s < targetNames.Length; s++)
                {
                    var j = targetNames[s];
                    if (!float.IsFinite(returnsPanel[offset + j]))
                    {
                        continue;
                    }

                    var goal = targetWeights[s];
                    Fill(Math.Abs(goal - current[j]), i, j, signalRow);
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
                    Fill(Math.Abs(current[j]), i, j, signalRow);
                    current[j] = 0;
                }

                (names, nextNames) = (nextNames, names);
                (weights, nextWeights) = (nextWeights, weights);
                held = count;
            }

            double longs = 0, shorts = 0;
            int longCount = 0, shortCount = 0;
            for (var h = 0; h < held; h++)
            {
                var w = weights[h];
                longs += Math.Max(w, 0);
                shorts += Math.Max(-w, 0);
                longCount += w > 0 ? 1 : 0;
                shortCount += w < 0 ? 1 : 0;
                if (positions is not null)
                {
                    positions[(long)i * n + names[h]] = w;
                }
            }

            var commission = _turnover * _commissionRate;
            var impact = _impactSum * options.ImpactBps * 1e-4;
            bars.Gross[i] = gross;
            bars.Borrow[i] = shortBook * borrowRate;
            bars.Turnover[i] = _turnover;
            bars.Commission[i] = commission;
            bars.Spread[i] = _spread;
            bars.Impact[i] = impact;
            bars.Net[i] = gross - commission - _spread - impact - bars.Borrow[i];
            (bars.LongExposure[i], bars.ShortExposure[i], bars.Longs[i], bars.Shorts[i]) = (longs, shorts, longCount, shortCount);
        }

        return bars with { Positions = positions };
    }

    /// <summary>A trade of |Δw| = <paramref name="size"/> in name <paramref name="j"/> at bar <paramref name="bar"/>.</summary>
    private void Fill(double size, int bar, int j, int signalRow)
    {
        if (size == 0)
        {
            return;
        }

        _turnover += size;
        _spread += size * HalfSpread(bar, j);
        if (_impact)
        {
            // Missing volume counts as trading a whole day's volume.
            var v = inputs.AverageDollarVolume is { } panel ? panel[signalRow * _n + j] : float.NaN;
            var ratio = v > 0 ? options.Capital / v : double.NaN;
            var participation = double.IsFinite(ratio) ? size * ratio : 1.0;
            _impactSum += size * Math.Sqrt(participation);
        }
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
