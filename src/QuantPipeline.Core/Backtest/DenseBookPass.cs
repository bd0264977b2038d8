using System.Numerics;

namespace QuantPipeline.Core.Backtest;

/// <summary>
/// The close-execution book pass of <see cref="VectorisedBacktest"/> written over the whole cross-section with SIMD
/// vectors: the weights live in a dense array padded to the vector width, and each bar is a handful of vector sweeps
/// (close missing names, accrue, drift, trade, exposures) instead of branchy loops over held names.
/// Same semantics and results as the sparse pass, which still serves next-open execution.
/// </summary>
internal sealed class DenseBookPass(BacktestInputs inputs, TargetBook targets, BacktestOptions options)
{
    private static readonly int Width = Vector<double>.Count;
    private readonly int _n = inputs.N;
    private readonly int _padded = (inputs.N + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;

    public BacktestBars Run()
    {
        int t = inputs.T, n = _n;
        var bars = BacktestBars.Allocate(t);
        var positions = options.RecordPositions ? new double[(long)t * n] : null;
        var w = new double[_padded];
        var r = new double[_padded];
        var target = new double[_padded];
        var spread = inputs.HalfSpreadBps is null ? null : new double[_padded];
        var adv = options.ImpactBps > 0 ? new double[_padded] : null;
        var borrowRate = options.BorrowBpsPerYear * 1e-4 / options.PeriodsPerYear;
        var commissionRate = options.CommissionBps * 1e-4;
        var spreadRate = options.HalfSpreadBps * 1e-4;
        for (var i = 0; i < t; i++)
        {
            var returns = inputs.Returns.AsSpan(i * n, n);
            for (var j = 0; j < n; j++)
            {
                r[j] = returns[j];
            }

            if (spread is not null)
            {
                var row = inputs.HalfSpreadBps.AsSpan(i * n, n);
                for (var j = 0; j < n; j++)
                {
                    spread[j] = float.IsFinite(row[j]) ? row[j] * 1e-4 : spreadRate;
                }
            }

            double turnover = 0, commission = 0, spreadCost = 0, impact = 0;

            // Positions without a price at this bar are closed at their last price (rare: a scalar fix-up).
            if (AnyMissingHeld(w, r))
            {
                for (var j = 0; j < n; j++)
                {
                    if (w[j] != 0 && !double.IsFinite(r[j]))
                    {
                        var size = Math.Abs(w[j]);
                        turnover += size;
                        commission += size * commissionRate;
                        spreadCost += size * (spread is null ? spreadRate : spread[j]);
                        w[j] = 0;
                        bars.ForcedCloses[i]++;
                    }
                }
            }

            var (gross, shortBook) = Accrue(w, r);
            bars.Borrow[i] = shortBook * borrowRate;
            if (gross != -1)
            {
                Drift(w, r, 1 / (1 + gross));
            }

            var signalRow = i - options.DelayBars;
            if (signalRow >= 0 && signalRow % options.RebalanceEvery == 0)
            {
                var names = targets.Names(signalRow);
                var weights = targets.Weights(signalRow);
                for (var s = 0; s < names.Length; s++)
                {
                    target[names[s]] = weights[s];
                }

                if (adv is not null)
                {
                    var row = inputs.AverageDollarVolume is { } panel ? panel.AsSpan(signalRow * n, n) : default;
                    for (var j = 0; j < n; j++)
                    {
                        // Missing volume counts as trading a whole day's volume.
                        var v = row.IsEmpty ? float.NaN : row[j];
                        adv[j] = v > 0 ? options.Capital / v : double.NaN;
                    }
                }

                var traded = Trade(w, r, target, spread, spreadRate, adv);
                turnover += traded.Turnover;
                commission += traded.Turnover * commissionRate;
                spreadCost += traded.Spread;
                impact += traded.Impact * options.ImpactBps * 1e-4;
                for (var s = 0; s < names.Length; s++)
                {
                    target[names[s]] = 0;
                }
            }

            bars.Gross[i] = gross;
            bars.Turnover[i] = turnover;
            bars.Commission[i] = commission;
            bars.Spread[i] = spreadCost;
            bars.Impact[i] = impact;
            bars.Net[i] = gross - commission - spreadCost - impact - bars.Borrow[i];
            (bars.LongExposure[i], bars.ShortExposure[i], bars.Longs[i], bars.Shorts[i]) = Exposures(w);
            if (positions is not null)
            {
                Array.Copy(w, 0, positions, (long)i * n, n);
            }
        }

        return bars with { Positions = positions };
    }

    private static bool AnyMissingHeld(double[] w, double[] r)
    {
        var zero = Vector<double>.Zero;
        var any = Vector<long>.Zero;
        for (var j = 0; j < w.Length; j += Width)
        {
            var rv = new Vector<double>(r, j);
            var wv = new Vector<double>(w, j);
            // x − x is 0 for finite x and NaN otherwise.
            var missing = ~Vector.Equals(rv - rv, zero);
            any |= missing & ~Vector.Equals(wv, zero);
        }

        return any != Vector<long>.Zero;
    }

    /// <summary>Σ w·r over names with a price, and the short book Σ max(−w, 0).</summary>
    private static (double Gross, double ShortBook) Accrue(double[] w, double[] r)
    {
        var zero = Vector<double>.Zero;
        var total = zero;
        var shorts = zero;
        for (var j = 0; j < w.Length; j += Width)
        {
            var rv = new Vector<double>(r, j);
            var wv = new Vector<double>(w, j);
            var clean = Vector.ConditionalSelect(Vector.Equals(rv - rv, zero), rv, zero);
            total += wv * clean;
            shorts += Vector.Max(-wv, zero);
        }

        return (Vector.Sum(total), Vector.Sum(shorts));
    }

    private static void Drift(double[] w, double[] r, double scale)
    {
        var zero = Vector<double>.Zero;
        var one = Vector<double>.One;
        var s = new Vector<double>(scale);
        for (var j = 0; j < w.Length; j += Width)
        {
            var rv = new Vector<double>(r, j);
            var clean = Vector.ConditionalSelect(Vector.Equals(rv - rv, zero), rv, zero);
            (new Vector<double>(w, j) * (one + clean) * s).CopyTo(w, j);
        }
    }

    /// <summary>
    /// Moves every name with a price to its target (0 for non-targets); names without a price keep their weight.
    /// Returns Σ|Δw|, Σ|Δw|·half-spread and Σ|Δw|·√(|Δw|·Capital/ADV) (participation 1 where ADV is missing).
    /// </summary>
    private static (double Turnover, double Spread, double Impact) Trade(double[] w, double[] r, double[] target, double[]? spread, double spreadRate, double[]? capitalOverAdv)
    {
        var zero = Vector<double>.Zero;
        var one = Vector<double>.One;
        var constantSpread = new Vector<double>(spreadRate);
        Vector<double> turnover = zero, spreadCost = zero, impact = zero;
        for (var j = 0; j < w.Length; j += Width)
        {
            var rv = new Vector<double>(r, j);
            var wv = new Vector<double>(w, j);
            var goal = Vector.ConditionalSelect(Vector.Equals(rv - rv, zero), new Vector<double>(target, j), wv);
            var size = Vector.Abs(goal - wv);
            turnover += size;
            spreadCost += size * (spread is null ? constantSpread : new Vector<double>(spread, j));
            if (capitalOverAdv is not null)
            {
                var ratio = new Vector<double>(capitalOverAdv, j);
                var participation = Vector.ConditionalSelect(Vector.Equals(ratio - ratio, zero), size * ratio, one);
                impact += size * Vector.SquareRoot(participation);
            }

            goal.CopyTo(w, j);
        }

        return (Vector.Sum(turnover), Vector.Sum(spreadCost), Vector.Sum(impact));
    }

    private static (double Long, double Short, int Longs, int Shorts) Exposures(double[] w)
    {
        var zero = Vector<double>.Zero;
        Vector<double> longs = zero, shorts = zero;
        Vector<long> longCount = Vector<long>.Zero, shortCount = Vector<long>.Zero;
        for (var j = 0; j < w.Length; j += Width)
        {
            var wv = new Vector<double>(w, j);
            longs += Vector.Max(wv, zero);
            shorts += Vector.Max(-wv, zero);
            longCount -= Vector.GreaterThan(wv, zero);
            shortCount -= Vector.LessThan(wv, zero);
        }

        return (Vector.Sum(longs), Vector.Sum(shorts), (int)Vector.Sum(longCount), (int)Vector.Sum(shortCount));
    }
}
