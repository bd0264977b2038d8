using Apache.Arrow;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Core.Tests.Backtest;

public class SweepAndArrowTests
{
    [Fact]
    public void A_sweep_gives_each_variant_what_a_single_run_gives()
    {
        var inputs = VectorisedBacktestTests.RandomInputs(80, 41, seed: 17, missing: 0.05) with { HalfSpreadBps = null };
        var variants = BacktestSweep.Grid(new BacktestOptions { HalfSpreadBps = 1 }, [0.1, 0.25], [0, 5, 20], [0, 1], [1, 3]);
        Assert.Equal(24, variants.Count);
        var results = BacktestSweep.Run(inputs, variants);
        for (var k = 0; k < variants.Count; k++)
        {
            Assert.Same(variants[k], results[k].Options);
            var single = VectorisedBacktest.Run(inputs, variants[k]);
            Assert.Equal(single.Net, results[k].NetReturns);
            var m = PerformanceMetrics.Compute(single.Net, single.Turnover);
            Assert.Equal(m.Sharpe, results[k].Metrics.Sharpe, 12);
            Assert.Equal(m.MaxDrawdown, results[k].Metrics.MaxDrawdown, 12);
        }

        // Higher commission, same everything else: lower net Sharpe.
        Assert.True(results[0].Metrics.Sharpe > results[8].Metrics.Sharpe);
        // A 0 bp commission variant pays only its 1 bp half-spread on what it trades.
        var first = VectorisedBacktest.Run(inputs, variants[0]);
        Assert.Equal(first.Turnover.Sum() * 1e-4, results[0].TotalCosts, 12);
    }

    [Fact]
    public void Bars_and_positions_come_out_as_arrow()
    {
        var inputs = VectorisedBacktestTests.RandomInputs(12, 5, seed: 4, missing: 0);
        var bars = VectorisedBacktest.Run(inputs, new BacktestOptions { Quantile = 0.2, CommissionBps = 3, RecordPositions = true });
        var dates = Enumerable.Range(0, 12).Select(i => new DateOnly(2024, 1, 1).AddDays(i)).ToArray();
        using var batch = BacktestArrow.Bars(bars, dates);
        Assert.Equal(12, batch.Length);
        Assert.Equal(
            ["date", "gross", "net", "turnover", "commission", "spread", "impact", "borrow", "long_exposure", "short_exposure", "longs", "shorts", "forced_closes"],
            batch.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(bars.Net, ((DoubleArray)batch.Column("net")).Values.ToArray());
        Assert.Equal(bars.Turnover, ((DoubleArray)batch.Column("turnover")).Values.ToArray());
        Assert.Equal(dates[3], ((Date32Array)batch.Column("date")).GetDateOnly(3));

        using var positions = BacktestArrow.Positions(bars, ["A", "B", "C", "D", "E"]);
        Assert.Equal(5, positions.ColumnCount);
        var c = (DoubleArray)positions.Column("C");
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(bars.Positions![i * 5 + 2], c.GetValue(i));
        }
    }
}
