using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Core.Tests.Metrics;

public class MetricsAndBacktestTests
{
    [Fact]
    public void Sharpe_and_drawdown_match_a_hand_worked_example()
    {
        double[] returns = [0.01, -0.02, 0.015, 0.005];
        var m = PerformanceMetrics.Compute(returns, [], periodsPerYear: 252);
        // mean = 0.0025; deviations 0.0075, -0.0225, 0.0125, 0.0025 → squares sum 0.000725; var = 0.000725/3
        var std = Math.Sqrt(0.000725 / 3);
        Assert.Equal(0.0025 / std * Math.Sqrt(252), m.Sharpe, 10);
        // equity 1.01 → 0.9898 (peak 1.01, dd −0.02) → 1.004647 → 1.00967...; worst = −0.02
        Assert.Equal(-0.02, m.MaxDrawdown, 12);
        var growth = 1.01 * 0.98 * 1.015 * 1.005;
        Assert.Equal(Math.Pow(growth, 252.0 / 4) - 1, m.AnnualReturn, 10);
    }

    [Fact]
    public void Drawdown_compounds_across_consecutive_losses()
    {
        // 1 → 1.1 (peak) → 0.99 → 0.891: drawdown 0.891/1.1 − 1 = −0.19
        Assert.Equal(0.891 / 1.1 - 1, PerformanceMetrics.ComputeMaxDrawdown([0.1, -0.1, -0.1]), 12);
        Assert.Equal(0.0, PerformanceMetrics.ComputeMaxDrawdown([0.01, 0.02]));
    }

    [Fact]
    public void Long_short_backtest_matches_a_hand_worked_example()
    {
        // 2 timestamps × 4 symbols, quantile 0.25 → 1 long (top signal), 1 short (bottom).
        float[] signal = [4, 3, 2, 1, /* t1 */ 1, 2, 3, 4];
        float[] fwd = [0.02f, 0.0f, 0.0f, -0.01f, /* t1 */ 0.03f, 0, 0, 0.01f];
        var r = LongShortBacktest.Run(signal, fwd, 2, 4, quantile: 0.25, costBps: 10);
        // t0: +0.5×0.02 − 0.5×(−0.01) = 0.015; turnover 1 → cost 0.001
        Assert.Equal(0.015, r.GrossReturns[0], 6);
        Assert.Equal(1.0, r.Turnover[0], 12);
        Assert.Equal(0.014, r.NetReturns[0], 6);
        // t1: long symbol 3, short symbol 0: 0.5×0.01 − 0.5×0.03 = −0.01; turnover |−0.5−0.5|+|0.5−(−0.5)| = 2
        Assert.Equal(-0.01, r.GrossReturns[1], 6);
        Assert.Equal(2.0, r.Turnover[1], 12);
        Assert.Equal(-0.012, r.NetReturns[1], 6);
    }

    [Fact]
    public void Backtest_skips_symbols_without_signal_or_return()
    {
        float[] signal = [float.NaN, 2, 1, 5];
        float[] fwd = [0.5f, 0.01f, -0.01f, float.NaN];
        var r = LongShortBacktest.Run(signal, fwd, 1, 4, quantile: 0.5, costBps: 0);
        // valid: symbols 1 and 2 → long 1, short 2
        Assert.Equal(0.5 * 0.01 - 0.5 * -0.01, r.GrossReturns[0], 6);
    }

    [Fact]
    public void Psi_matches_the_published_formula_on_a_hand_example()
    {
        double[] reference = [0.25, 0.25, 0.25, 0.25];
        double[] current = [0.1, 0.2, 0.3, 0.4];
        var expected = (0.1 - 0.25) * Math.Log(0.1 / 0.25) + (0.2 - 0.25) * Math.Log(0.2 / 0.25)
            + (0.3 - 0.25) * Math.Log(0.3 / 0.25) + (0.4 - 0.25) * Math.Log(0.4 / 0.25);
        Assert.Equal(expected, PopulationStability.Psi(reference, current), 12);
    }

    [Fact]
    public void Psi_is_near_zero_for_the_same_distribution_and_large_for_a_shift()
    {
        var rng = new Random(3);
        float[] Sample(double shift) => Enumerable.Range(0, 20000).Select(_ => (float)(rng.NextDouble() + shift)).ToArray();
        var reference = Sample(0);
        Assert.True(PopulationStability.Psi(reference, Sample(0)) < 0.01);
        Assert.True(PopulationStability.Psi(reference, Sample(0.5)) > 0.2);
    }

    [Fact]
    public void Quantile_edges_split_a_uniform_grid_evenly()
    {
        var values = Enumerable.Range(0, 101).Select(i => (float)i).ToArray();
        var edges = PopulationStability.QuantileEdges(values, 4);
        Assert.Equal([25.0, 50.0, 75.0], edges);
        Assert.Equal([26 / 101.0, 25 / 101.0, 25 / 101.0, 25 / 101.0], PopulationStability.Proportions(values, edges));
    }
}
