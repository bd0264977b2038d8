using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Core.Tests.Metrics;

public class MetricReportTests
{
    [Fact]
    public void Every_ratio_matches_a_hand_worked_series()
    {
        double[] r = [0.02, -0.01, -0.02, 0.03, 0.01];
        var dates = Enumerable.Range(0, 5).Select(i => new DateOnly(2024, 1, 1).AddDays(i)).ToArray();
        var m = MetricReport.Compute(r, new MetricOptions { PeriodsPerYear = 252, Dates = dates }, turnover: [1.0, 0.5, 0.5, 0.0, 1.0], grossExposure: [1, 1, 1, 1, 1]);

        // mean 0.006; deviations 0.014, −0.016, −0.026, 0.024, 0.004 → squares sum 0.00172; std = √(0.00172/4)
        var std = Math.Sqrt(0.00172 / 4);
        Assert.Equal(0.006 / std * Math.Sqrt(252), m.Sharpe, 10);
        Assert.Equal(std * Math.Sqrt(252), m.AnnualVolatility, 12);
        // downside: (0.01² + 0.02²)/5 = 0.0001 → deviation 0.01; Sortino = 0.006/0.01·√252
        Assert.Equal(0.6 * Math.Sqrt(252), m.Sortino, 10);
        // equity 1.02 (peak, index 0) → 1.0098 → 0.989604 (trough, index 2) → 1.01929212 → 1.0295 (recovered at index 4)
        Assert.Equal(0.989604 / 1.02 - 1, m.MaxDrawdown.Depth, 12);
        Assert.Equal((0, 2, (int?)4), (m.MaxDrawdown.PeakIndex, m.MaxDrawdown.TroughIndex, m.MaxDrawdown.RecoveryIndex));
        Assert.Equal(dates[0], m.MaxDrawdownPeakDate);
        Assert.Equal(dates[2], m.MaxDrawdownTroughDate);
        Assert.Equal(dates[4], m.MaxDrawdownRecoveryDate);
        var growth = 1.02 * 0.99 * 0.98 * 1.03 * 1.01;
        Assert.Equal(Math.Pow(growth, 252 / 5.0) - 1, m.AnnualReturn, 10);
        Assert.Equal(m.AnnualReturn / (1 - 0.989604 / 1.02), m.Calmar, 10);
        Assert.Equal(0.6, m.HitRate, 12);
        // mean turnover 0.6 → a gross book of 1 turns over every 1 / (0.6/2) = 3.33 bars
        Assert.Equal(0.6, m.MeanTurnover!.Value, 12);
        Assert.Equal(1 / 0.3, m.HoldingPeriod!.Value, 12);
        // skewness: m₃ = Σd³/5, m₂ = 0.00173/5
        double[] d = [0.014, -0.016, -0.026, 0.024, 0.004];
        var m2 = d.Sum(x => x * x) / 5;
        Assert.Equal(d.Sum(x => x * x * x) / 5 / Math.Pow(m2, 1.5), m.Skewness, 10);
        Assert.Equal(d.Sum(x => x * x * x * x) / 5 / (m2 * m2), m.Kurtosis, 10);
    }

    [Fact]
    public void A_drawdown_that_never_recovers_has_no_recovery_date_and_the_start_can_be_the_peak()
    {
        var m = MetricReport.Compute([-0.1, 0.05, -0.1], new MetricOptions { Dates = [new(2024, 1, 2), new(2024, 1, 3), new(2024, 1, 4)] });
        // 0.9 → 0.945 → 0.8505, peak is the starting capital
        Assert.Equal(0.8505 - 1, m.MaxDrawdown.Depth, 12);
        Assert.Equal(-1, m.MaxDrawdown.PeakIndex);
        Assert.Null(m.MaxDrawdownPeakDate);
        Assert.Equal(new DateOnly(2024, 1, 4), m.MaxDrawdownTroughDate);
        Assert.Null(m.MaxDrawdown.RecoveryIndex);
        Assert.Equal(1.0 / 3, m.HitRate, 12);
    }

    [Fact]
    public void The_annualisation_factor_is_explicit()
    {
        double[] r = [0.001, -0.0005, 0.002, 0.0];
        var daily = MetricReport.Compute(r, new MetricOptions { PeriodsPerYear = 252 });
        var minute = MetricReport.Compute(r, new MetricOptions { PeriodsPerYear = 252 * 390 });
        Assert.Equal(daily.Sharpe * Math.Sqrt(390), minute.Sharpe, 10);
        Assert.Equal(252 * 390, minute.PeriodsPerYear);
        // The legacy summary agrees with the report.
        var legacy = PerformanceMetrics.Compute(r, [], 252);
        Assert.Equal(legacy.Sharpe, daily.Sharpe, 12);
        Assert.Equal(legacy.MaxDrawdown, daily.MaxDrawdown.Depth, 12);
        Assert.Equal(legacy.AnnualReturn, daily.AnnualReturn, 12);
    }

    [Fact]
    public void More_trials_deflate_the_sharpe()
    {
        var rng = new Random(5);
        var r = Enumerable.Range(0, 500).Select(_ => 0.0008 + 0.01 * (rng.NextDouble() - 0.5)).ToArray();
        var one = MetricReport.Compute(r, new MetricOptions { Trials = 1 });
        var many = MetricReport.Compute(r, new MetricOptions { Trials = 200, TrialSharpeVariance = 0.5 });
        Assert.Equal(one.ProbabilisticSharpe, one.DeflatedSharpe, 14);
        Assert.True(many.DeflatedSharpe < one.DeflatedSharpe);
        Assert.Equal(SharpeInference.ExpectedMaxSharpe(200, 0.5 / 252) * Math.Sqrt(252), many.DeflatedSharpeBenchmark, 12);
    }

    [Fact]
    public void A_missing_return_is_reported_with_its_date()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricReport.Compute([0.01, double.NaN], new MetricOptions { Dates = [new(2024, 3, 1), new(2024, 3, 4)] }));
        Assert.Contains("2024-03-04", e.Message);
    }

    [Fact]
    public void Ic_and_rank_ic_match_hand_worked_cross_sections()
    {
        // Bar 0: predictions 1,2,3,4 vs outcomes 1,3,2,4 → Pearson = Spearman = 0.8 (Σd² = 2: 1 − 6·2/(4·15)).
        // Bar 1: predictions 1,2,3,100 vs outcomes 1,2,3,4 → Spearman 1; Pearson on the raw values < 1.
        // Bar 2: only two finite pairs → undefined.
        float[] p = [1, 2, 3, 4, 1, 2, 3, 100, 1, float.NaN, 2, float.NaN];
        float[] o = [1, 3, 2, 4, 1, 2, 3, 4, 5, 6, 7, 8];
        var ic = InformationCoefficient.PerBar(p, o, 3, 4);
        var rankIc = InformationCoefficient.RankPerBar(p, o, 3, 4);
        Assert.Equal(0.8, ic[0], 12);
        Assert.Equal(0.8, rankIc[0], 12);
        Assert.Equal(1.0, rankIc[1], 12);
        double[] x = [1, 2, 3, 100], y = [1, 2, 3, 4];
        var mx = x.Average();
        var my = y.Average();
        var pearson = x.Zip(y).Sum(z => (z.First - mx) * (z.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
        Assert.Equal(pearson, ic[1], 12);
        Assert.True(double.IsNaN(ic[2]));

        var s = InformationCoefficient.Summarise(rankIc);
        Assert.Equal(2, s.Count);
        Assert.Equal(0.9, s.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), s.Std, 12);
        Assert.Equal(0.9 / Math.Sqrt(0.02), s.Icir, 10);
        Assert.Equal(0.9 / Math.Sqrt(0.02) * Math.Sqrt(2), s.TStat, 10);
    }

    [Fact]
    public void Ties_share_their_average_rank()
    {
        var ranks = new double[5];
        InformationCoefficient.AverageRanks([3.0, 1.0, 3.0, 2.0, 3.0], ranks);
        Assert.Equal([4.0, 1.0, 4.0, 2.0, 4.0], ranks);
    }
}
