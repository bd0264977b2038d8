using QuantPipeline.Core.Backtest;

namespace QuantPipeline.Core.Tests.Backtest;

public class VectorisedBacktestTests
{
    [Fact]
    public void Costs_drift_and_delay_match_a_hand_worked_example()
    {
        // 4 names × 3 bars, deciles of 4 names → 1 long, 1 short; trade at the next close.
        float[] signal = [4, 3, 2, 1, /* bar 1 */ 1, 2, 3, 4, /* bar 2 */ 0, 0, 0, 0];
        float[] returns = [0, 0, 0, 0, /* bar 1 */ 0.02f, 0, 0, -0.01f, /* bar 2 */ 0.10f, 0, 0, 0.04f];
        var adv = Enumerable.Repeat(1e8f, 12).ToArray();
        var options = new BacktestOptions
        {
            Quantile = 0.25, CommissionBps = 10, ImpactBps = 100, Capital = 1e8, BorrowBpsPerYear = 252, PeriodsPerYear = 252,
        };
        var r = VectorisedBacktest.Run(new BacktestInputs(signal, returns, 3, 4) { AverageDollarVolume = adv }, options);

        // Bar 0: nothing held, no signal yet. Bar 1: the bar-0 signal fills at this close: +0.5 name 0, −0.5 name 3;
        // turnover 1, commission 1·10 bp, impact per name 0.5·1 %·√0.5 (participation 0.5·1e8 / 1e8).
        Assert.Equal([0.0, 0.0], [r.Gross[0], r.Gross[1]]);
        Assert.Equal(1.0, r.Turnover[1], 12);
        Assert.Equal(0.001, r.Commission[1], 12);
        Assert.Equal(2 * 0.5 * 0.01 * Math.Sqrt(0.5), r.Impact[1], 12);
        Assert.Equal(-0.001 - 0.01 * Math.Sqrt(0.5), r.Net[1], 12);

        // Bar 2: R = 0.5·0.10 − 0.5·0.04 = 0.03. Drifted: w0 = 0.5·1.10/1.03 = 0.533981, w3 = −0.5·1.04/1.03 = −0.504854.
        // The bar-1 signal flips the book: Δ0 = −0.5 − 0.533981 = −1.033981, Δ3 = 0.5 + 0.504854 = 1.004854.
        // Borrow: short book 0.5 × 252 bp / 252 = 0.5 bp.
        var d0 = 0.5 + 0.5 * 1.10 / 1.03;
        var d3 = 0.5 + 0.5 * 1.04 / 1.03;
        Assert.Equal(0.03, r.Gross[2], 7);
        Assert.Equal(d0 + d3, r.Turnover[2], 7);
        Assert.Equal((d0 + d3) * 0.001, r.Commission[2], 9);
        Assert.Equal(0.01 * (Math.Pow(d0, 1.5) + Math.Pow(d3, 1.5)), r.Impact[2], 8);
        Assert.Equal(0.5e-4, r.Borrow[2], 12);
        Assert.Equal(0.03 - (d0 + d3) * 0.001 - 0.01 * (Math.Pow(d0, 1.5) + Math.Pow(d3, 1.5)) - 0.5e-4, r.Net[2], 7);
        Assert.Equal((0.5, 0.5, 1, 1), (r.LongExposure[2], r.ShortExposure[2], r.Longs[2], r.Shorts[2]));
    }

    [Fact]
    public void A_delisted_position_is_closed_at_its_last_price_and_never_carried()
    {
        // Name 0 is long from bar 1; its price disappears at bar 3 (NaN return) and never returns.
        float[] signal = [2, 1, 1, 2, 2, 1, 2, 1, 2, 1, 1, 2, float.NaN, 1, 2, float.NaN, 1, 2];
        float[] returns = [0, 0, 0, /* 1 */ 0, 0, 0, /* 2 */ 0.05f, 0, 0, /* 3 */ float.NaN, 0.01f, 0.01f, /* 4 */ float.NaN, 0.02f, 0.02f, /* 5 */ float.NaN, 0, 0];
        var options = new BacktestOptions { Construction = PortfolioConstruction.LongOnlyTopK, TopK = 1, DollarNeutral = false, CommissionBps = 5, RebalanceEvery = 100, RecordPositions = true };
        var r = VectorisedBacktest.Run(new BacktestInputs(signal, returns, 6, 3), options);
        // Bar 1 buys name 0 (weight 1); bar 2 earns 5 %; bar 3 has no price: closed at the bar-2 price, return 0.
        Assert.Equal(0.05, r.Gross[2], 7);
        Assert.Equal(1, r.ForcedCloses[3]);
        Assert.Equal(0.0, r.Gross[3]);
        Assert.Equal(1.0, r.Turnover[3], 12);
        Assert.Equal(5e-4, r.Commission[3], 12);
        Assert.Equal(0.0, r.Positions![3 * 3 + 0]);
        Assert.All(new[] { 4, 5 }, i => Assert.Equal((0, 0.0, 0), (r.ForcedCloses[i], r.Gross[i], r.Longs[i])));
    }

    [Fact]
    public void Constraints_hold_on_every_bar()
    {
        var inputs = RandomInputs(40, 57, seed: 3, missing: 0.1);
        foreach (var options in new[]
        {
            new BacktestOptions { Quantile = 0.2, GrossLeverage = 2, MaxWeight = 0.15 },
            new BacktestOptions { Construction = PortfolioConstruction.RankWeighted, GrossLeverage = 1.5, MaxWeight = 0.04 },
            new BacktestOptions { Construction = PortfolioConstruction.LongOnlyTopK, TopK = 7, DollarNeutral = false, MaxWeight = 0.1 },
        })
        {
            var book = TargetBook.Build(inputs.Signal, inputs.T, inputs.N, options);
            for (var row = 0; row < inputs.T; row++)
            {
                var w = book.Weights(row).ToArray();
                var longs = w.Where(v => v > 0).Sum();
                var shorts = -w.Where(v => v < 0).Sum();
                Assert.All(w, v => Assert.True(Math.Abs(v) <= options.MaxWeight + 1e-12, $"{options.Construction}: |{v}| > cap"));
                Assert.True(longs + shorts <= options.GrossLeverage + 1e-9);
                if (options.DollarNeutral)
                {
                    Assert.Equal(longs, shorts, 9);
                }
                else
                {
                    Assert.Equal(0.0, shorts);
                }
            }
        }

        // Rank weights with a loose cap use the full gross.
        var loose = new BacktestOptions { Construction = PortfolioConstruction.RankWeighted, GrossLeverage = 1.5, MaxWeight = 0.2 };
        var full = TargetBook.Build(inputs.Signal, inputs.T, inputs.N, loose);
        Assert.Equal(1.5, full.Weights(5).ToArray().Sum(Math.Abs), 9);
    }

    [Theory]
    [InlineData(PortfolioConstruction.LongShortQuantile, ExecutionTiming.Close, 1, 1)]
    [InlineData(PortfolioConstruction.LongShortQuantile, ExecutionTiming.Close, 0, 5)]
    [InlineData(PortfolioConstruction.LongShortQuantile, ExecutionTiming.NextOpen, 1, 3)]
    [InlineData(PortfolioConstruction.RankWeighted, ExecutionTiming.Close, 2, 2)]
    [InlineData(PortfolioConstruction.RankWeighted, ExecutionTiming.NextOpen, 1, 1)]
    [InlineData(PortfolioConstruction.LongOnlyTopK, ExecutionTiming.Close, 1, 4)]
    public void Every_variant_matches_the_float64_reference(PortfolioConstruction construction, ExecutionTiming execution, int delay, int rebalance)
    {
        var inputs = RandomInputs(60, 37, seed: (int)construction * 10 + delay, missing: 0.05);
        var options = new BacktestOptions
        {
            Construction = construction,
            Quantile = 0.15,
            TopK = 6,
            DollarNeutral = construction != PortfolioConstruction.LongOnlyTopK,
            GrossLeverage = 1.3,
            MaxWeight = construction == PortfolioConstruction.LongShortQuantile ? 0.5 : 0.06,
            Execution = execution,
            DelayBars = delay,
            RebalanceEvery = rebalance,
            CommissionBps = 2,
            HalfSpreadBps = 3,
            ImpactBps = 40,
            Capital = 5e7,
            BorrowBpsPerYear = 50,
            RecordPositions = true,
        };
        var r = VectorisedBacktest.Run(inputs, options);
        var expected = ReferenceBacktest.Run(inputs, options);
        for (var i = 0; i < inputs.T; i++)
        {
            Assert.Equal(expected.Gross[i], r.Gross[i], 10);
            Assert.Equal(expected.Net[i], r.Net[i], 10);
            Assert.Equal(expected.Turnover[i], r.Turnover[i], 10);
            Assert.Equal(expected.Costs[i], r.Commission[i] + r.Spread[i] + r.Impact[i] + r.Borrow[i], 10);
            if (rebalance > 1 && (execution == ExecutionTiming.Close ? i - delay : i - 1) % rebalance != 0)
            {
                // Off-rebalance bars trade only to close positions that lost their price.
                Assert.True(r.ForcedCloses[i] > 0 || r.Turnover[i] == 0);
            }
        }

        for (var c = 0; c < expected.Weights.Length; c++)
        {
            Assert.Equal(expected.Weights[c], r.Positions![c], 10);
        }

        Assert.Contains(r.ForcedCloses, f => f > 0);
        Assert.Contains(r.Turnover, x => x > 0);
    }

    [Fact]
    public void Quantile_and_top_k_selection_match_a_full_sort_with_ties_and_missing_values()
    {
        var rng = new Random(9);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = rng.Next(1, 300);
            // Every third row crowds all values into one histogram bucket ([1, 1.001)), so both boundaries share it.
            var narrow = trial % 3 == 0;
            var row = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.1 ? float.NaN
                : narrow ? (float)(1 + rng.NextDouble() * 1e-3)
                : (float)Math.Round(rng.NextDouble() * 20 - 10, rng.Next(0, 3))).ToArray();
            var options = trial % 4 == 1
                ? new BacktestOptions { Construction = PortfolioConstruction.LongOnlyTopK, DollarNeutral = false, TopK = rng.Next(1, 40) }
                : new BacktestOptions { Quantile = 0.05 + rng.NextDouble() * 0.45 };
            var book = TargetBook.Build(row, 1, n, options);
            var dense = new double[n];
            var names = book.Names(0);
            for (var s = 0; s < names.Length; s++)
            {
                dense[names[s]] = book.Weights(0)[s];
            }

            Assert.Equal(ReferenceBacktest.Targets(row, options), dense);
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    public void A_pass_that_starts_while_targets_are_selected_matches_one_on_a_finished_book(int delay, int rebalance)
    {
        // 300 bars span several of the chunks the background selection hands out, so the pass waits on some of them.
        var inputs = RandomInputs(300, 97, seed: 11, missing: 0.05);
        var options = new BacktestOptions { Quantile = 0.1, DelayBars = delay, RebalanceEvery = rebalance, CommissionBps = 5, HalfSpreadBps = 1 };
        var streamed = VectorisedBacktest.Run(inputs, options);
        var finished = VectorisedBacktest.Run(inputs, TargetBook.Build(inputs.Signal, inputs.T, inputs.N, options), options);
        Assert.Equal(finished.Net, streamed.Net);
        Assert.Equal(finished.Turnover, streamed.Turnover);
        Assert.Equal(finished.Longs, streamed.Longs);
        Assert.Contains(streamed.Turnover, x => x > 0);
    }

    [Fact]
    public void Long_only_top_k_cannot_be_dollar_neutral()
    {
        var e = Assert.Throws<ArgumentException>(() => new BacktestOptions { Construction = PortfolioConstruction.LongOnlyTopK }.Validate());
        Assert.Contains("DollarNeutral = false", e.Message);
    }

    internal static BacktestInputs RandomInputs(int t, int n, int seed, double missing)
    {
        var rng = new Random(seed);
        var signal = new float[t * n];
        var returns = new float[t * n];
        var gaps = new float[t * n];
        var adv = new float[t * n];
        var spread = new float[t * n];
        var delistAt = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.2 ? rng.Next(5, t) : int.MaxValue).ToArray();
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var c = i * n + j;
                signal[c] = rng.NextDouble() < missing ? float.NaN : (float)(rng.NextDouble() * 2 - 1);
                var gone = i >= delistAt[j] || rng.NextDouble() < missing / 2;
                returns[c] = gone ? float.NaN : (float)(rng.NextDouble() * 0.06 - 0.03);
                gaps[c] = gone || rng.NextDouble() < 0.02 ? float.NaN : (float)(rng.NextDouble() * 0.02 - 0.01);
                adv[c] = rng.NextDouble() < 0.05 ? float.NaN : (float)(1e6 + rng.NextDouble() * 1e8);
                spread[c] = rng.NextDouble() < 0.3 ? float.NaN : (float)(rng.NextDouble() * 10);
            }
        }

        return new BacktestInputs(signal, returns, t, n) { OpenGap = gaps, AverageDollarVolume = adv, HalfSpreadBps = spread };
    }
}
