namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Cost-aware portfolio backtest on time-major panels. Targets for the signal at the close of bar t are traded at the
/// close of bar t + delay (or the open of bar t + 1) on every <see cref="BacktestOptions.RebalanceEvery"/>-th signal;
/// between trades the weights drift with prices, w ← w·(1 + r)/(1 + R). Each bar:
/// <list type="number">
/// <item>positions without a price at the bar (return NaN: delisted or missing) are closed at their last price,
/// paying commission and half-spread, and counted in <see cref="BacktestBars.ForcedCloses"/>;</item>
/// <item>the short book pays borrow: short exposure × BorrowBpsPerYear / PeriodsPerYear;</item>
/// <item>the book earns R = Σ w·r and drifts;</item>
/// <item>on a trade bar the book moves to the targets; a target without a price at the fill is left in cash, and a
/// name without a price at the fill keeps its position. A trade Δw costs |Δw|·(commission + half-spread) and the
/// square-root impact |Δw|·ImpactBps·√(|Δw|·Capital / ADV) (ADV as of the signal; missing ADV counts as full participation).</item>
/// </list>
/// Costs are fractions of capital subtracted from the bar's gross return.
/// </summary>
public static class VectorisedBacktest
{
    public static BacktestBars Run(BacktestInputs inputs, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        inputs.Validate(options);
        if (options.Execution != ExecutionTiming.Close)
        {
            return Run(inputs, TargetBook.Build(inputs.Signal, inputs.T, inputs.N, options), options);
        }

        // The close pass reads the target rows in order, so it starts while they are still being selected.
        var targets = TargetBook.StartBuild(inputs.Signal, inputs.T, inputs.N, options);
        try
        {
            return Run(inputs, targets, options);
        }
        finally
        {
            targets.FinishBuild();
        }
    }

    /// <summary>Runs on targets built beforehand (shared by variants that differ only in timing or costs).</summary>
    public static BacktestBars Run(BacktestInputs inputs, TargetBook targets, BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        inputs.Validate(options);
        if (targets.T != inputs.T)
        {
            throw new ArgumentException($"The targets cover {targets.T} bars but the inputs {inputs.T}.");
        }

        // Close execution runs as the specialised sparse pass; next-open execution, with its two legs a bar, in the engine.
        return options.Execution == ExecutionTiming.Close
            ? new SparseBookPass(inputs, targets, options).Run()
            : new Engine(inputs, targets, options).Run();
    }

    private sealed class Engine(BacktestInputs inputs, TargetBook targets, BacktestOptions options)
    {
        private readonly int _n = inputs.N;
        private readonly double[] _w = new double[inputs.N];
        private readonly bool[] _isHeld = new bool[inputs.N];
        private readonly double[] _target = new double[inputs.N];
        private readonly bool[] _isTarget = new bool[inputs.N];
        private readonly double[] _legReturns = new double[inputs.N];
        private readonly double _commissionRate = options.CommissionBps * 1e-4;
        private readonly double _spreadRate = options.HalfSpreadBps * 1e-4;
        private int[] _held = new int[inputs.N];
        private int[] _next = new int[inputs.N];
        private int _heldCount;
        private double _commission, _spread, _impact, _turnover;

        public BacktestBars Run()
        {
            var t = inputs.T;
            var bars = BacktestBars.Allocate(t);
            var positions = options.RecordPositions ? new double[(long)t * _n] : null;
            var borrowRate = options.BorrowBpsPerYear * 1e-4 / options.PeriodsPerYear;
            for (var i = 0; i < t; i++)
            {
                _commission = _spread = _impact = _turnover = 0;
                var returns = inputs.Returns.AsSpan(i * _n, _n);
                var signalRow = options.Execution == ExecutionTiming.Close ? i - options.DelayBars : i - 1;
                var trade = signalRow >= 0 && signalRow % options.RebalanceEvery == 0;

                double gross;
                if (trade && options.Execution == ExecutionTiming.NextOpen)
                {
                    bars.ForcedCloses[i] = CloseMissing(returns, i);
                    bars.Borrow[i] = ShortBook() * borrowRate;
                    var gaps = inputs.OpenGap.AsSpan(i * _n, _n);
                    var overnight = Accrue(returns, gaps, Leg.Overnight);
                    Trade(signalRow, i, atOpen: true);
                    var intraday = Accrue(returns, gaps, Leg.Intraday);
                    gross = (1 + overnight) * (1 + intraday) - 1;
                }
                else
                {
                    (gross, var shortBook, bars.ForcedCloses[i]) = CloseMissingAndAccrue(returns, i);
                    bars.Borrow[i] = shortBook * borrowRate;
                    if (trade)
                    {
                        Trade(signalRow, i, atOpen: false);
                    }
                }

                bars.Gross[i] = gross;
                bars.Commission[i] = _commission;
                bars.Spread[i] = _spread;
                bars.Impact[i] = _impact;
                bars.Turnover[i] = _turnover;
                bars.Net[i] = gross - _commission - _spread - _impact - bars.Borrow[i];
                for (var h = 0; h < _heldCount; h++)
                {
                    var w = _w[_held[h]];
                    if (w > 0)
                    {
                        bars.LongExposure[i] += w;
                        bars.Longs[i]++;
                    }
                    else
                    {
                        bars.ShortExposure[i] -= w;
                        bars.Shorts[i]++;
                    }

                    if (positions is not null)
                    {
                        positions[(long)i * _n + _held[h]] = w;
                    }
                }
            }

            return bars with { Positions = positions };
        }

        private enum Leg
        {
            Full,
            Overnight,
            Intraday,
        }

        private double ShortBook()
        {
            double shortBook = 0;
            for (var h = 0; h < _heldCount; h++)
            {
                shortBook += Math.Max(0, -_w[_held[h]]);
            }

            return shortBook;
        }

        /// <summary>
        /// The close-to-close bar in two passes over the held names: close those without a price, sum the short book
        /// and the book return; then drift the survivors.
        /// </summary>
        private (double Gross, double ShortBook, int Closed) CloseMissingAndAccrue(ReadOnlySpan<float> returns, int bar)
        {
            double total = 0, shortBook = 0;
            var closed = 0;
            var kept = 0;
            var held = _held;
            var w = _w;
            var legReturns = _legReturns;
            for (var h = 0; h < _heldCount; h++)
            {
                var j = held[h];
                var r = returns[j];
                if (!float.IsFinite(r))
                {
                    ForceClose(j, bar);
                    closed++;
                    continue;
                }

                var x = w[j];
                shortBook += Math.Max(0, -x);
                total += x * r;
                legReturns[kept] = r;
                held[kept++] = j;
            }

            _heldCount = kept;
            if (total != -1)
            {
                var scale = 1 / (1 + total);
                for (var h = 0; h < kept; h++)
                {
                    var j = held[h];
                    w[j] = w[j] * (1 + legReturns[h]) * scale;
                }
            }

            return (total, shortBook, closed);
        }

        private void ForceClose(int j, int bar)
        {
            var size = Math.Abs(_w[j]);
            _turnover += size;
            _commission += size * options.CommissionBps * 1e-4;
            _spread += size * HalfSpread(bar, j) * 1e-4;
            _w[j] = 0;
            _isHeld[j] = false;
        }

        private int CloseMissing(ReadOnlySpan<float> returns, int bar)
        {
            var closed = 0;
            var kept = 0;
            for (var h = 0; h < _heldCount; h++)
            {
                var j = _held[h];
                if (float.IsFinite(returns[j]))
                {
                    _held[kept++] = j;
                    continue;
                }

                ForceClose(j, bar);
                closed++;
            }

            _heldCount = kept;
            return closed;
        }

        /// <summary>Book return over one leg of the bar, then the drift of the weights by it.</summary>
        private double Accrue(ReadOnlySpan<float> returns, ReadOnlySpan<float> gaps, Leg leg)
        {
            double total = 0;
            for (var h = 0; h < _heldCount; h++)
            {
                var j = _held[h];
                total += _w[j] * LegReturn(returns, gaps, j, leg);
            }

            if (total != -1)
            {
                for (var h = 0; h < _heldCount; h++)
                {
                    var j = _held[h];
                    _w[j] = _w[j] * (1 + LegReturn(returns, gaps, j, leg)) / (1 + total);
                }
            }

            return total;
        }

        private static double LegReturn(ReadOnlySpan<float> returns, ReadOnlySpan<float> gaps, int j, Leg leg)
        {
            // A name without an opening print has no overnight leg; its whole move falls in the intraday leg.
            double gap = leg == Leg.Full || !float.IsFinite(gaps[j]) ? 0.0 : gaps[j];
            return leg switch
            {
                Leg.Full => returns[j],
                Leg.Overnight => gap,
                _ => (1 + (double)returns[j]) / (1 + gap) - 1,
            };
        }

        private double HalfSpread(int bar, int j)
        {
            var panel = inputs.HalfSpreadBps;
            if (panel is not null)
            {
                var x = panel[bar * _n + j];
                if (float.IsFinite(x))
                {
                    return x;
                }
            }

            return options.HalfSpreadBps;
        }

        private static bool Tradable(ReadOnlySpan<float> returns, ReadOnlySpan<float> gaps, bool atOpen, int j) =>
            float.IsFinite(returns[j]) && (!atOpen || float.IsFinite(gaps[j]));

        private void Trade(int signalRow, int bar, bool atOpen)
        {
            var returns = inputs.Returns.AsSpan(bar * _n, _n);
            var gaps = atOpen ? inputs.OpenGap.AsSpan(bar * _n, _n) : default;

            var names = targets.Names(signalRow);
            for (var s = 0; s < names.Length; s++)
            {
                var j = names[s];
                if (Tradable(returns, gaps, atOpen, j))
                {
                    _target[j] = targets.Weight(signalRow, s);
                    _isTarget[j] = true;
                }
            }

            var count = 0;
            for (var h = 0; h < _heldCount; h++)
            {
                var j = _held[h];
                if (_isTarget[j] || Tradable(returns, gaps, atOpen, j))
                {
                    var goal = _isTarget[j] ? _target[j] : 0.0;
                    Fill(j, goal - _w[j], signalRow, bar);
                    _w[j] = goal;
                }

                if (_w[j] != 0)
                {
                    _next[count++] = j;
                }
                else
                {
                    _isHeld[j] = false;
                }
            }

            for (var s = 0; s < names.Length; s++)
            {
                var j = names[s];
                if (!_isTarget[j])
                {
                    continue;
                }

                if (!_isHeld[j] && _target[j] != 0)
                {
                    Fill(j, _target[j], signalRow, bar);
                    _w[j] = _target[j];
                    _isHeld[j] = true;
                    _next[count++] = j;
                }

                _isTarget[j] = false;
                _target[j] = 0;
            }

            (_held, _next) = (_next, _held);
            _heldCount = count;
        }

        private void Fill(int j, double delta, int signalRow, int bar)
        {
            var size = Math.Abs(delta);
            if (size == 0)
            {
                return;
            }

            _turnover += size;
            _commission += size * _commissionRate;
            _spread += size * (inputs.HalfSpreadBps is null ? _spreadRate : HalfSpread(bar, j) * 1e-4);
            if (options.ImpactBps > 0)
            {
                var adv = inputs.AverageDollarVolume is { } panel ? panel[signalRow * _n + j] : float.NaN;
                var participation = adv > 0 ? size * options.Capital / adv : 1.0;
                _impact += size * options.ImpactBps * 1e-4 * Math.Sqrt(participation);
            }
        }
    }
}
