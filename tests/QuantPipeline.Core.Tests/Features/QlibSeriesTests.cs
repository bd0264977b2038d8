namespace QuantPipeline.Core.Tests.Features;

/// <summary>Hand-worked values that pin the float64 references to Qlib's (pandas') conventions.</summary>
public class QlibSeriesTests
{
    private static readonly double Nan = double.NaN;

    [Fact]
    public void Windows_have_min_periods_one_and_skip_nan_in_their_slot()
    {
        double[] x = [1, 2, Nan, 4, 10];
        Assert.Equal([1, 1.5, 2, 4, 7], QlibSeries.Roll(x, 2, QlibSeries.Mean));
        Assert.Equal([1, 3, 2, 4, 14], QlibSeries.Roll(x, 2, QlibSeries.Sum));
    }

    [Fact]
    public void Std_has_ddof_one_so_a_single_value_gives_nan()
    {
        var std = QlibSeries.Roll([2, 4, 4, 4, 5, 5, 7, 9], 8, QlibSeries.Std);
        Assert.True(double.IsNaN(std[0]));
        Assert.Equal(Math.Sqrt(2), std[1], 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), std[7], 12);
    }

    [Fact]
    public void IdxMax_is_one_based_from_the_oldest_bar_and_takes_the_first_tie()
    {
        Assert.Equal([1, 2, 2, 1, 2], QlibSeries.Roll([1, 5, 3, 5, 2], 3, QlibSeries.IdxMax));
        Assert.Equal([1, 1, 3, 2, 3], QlibSeries.Roll([4, 5, 3, 5, 2], 3, QlibSeries.IdxMin));
    }

    [Fact]
    public void Rank_is_scipys_percentile_of_the_newest_value_with_average_ties()
    {
        Assert.Equal(1.0, QlibSeries.Rank([1, 2, 3]));
        Assert.Equal(1.0 / 3, QlibSeries.Rank([3, 2, 1]), 12);
        Assert.Equal(0.6, QlibSeries.Rank([1, 2, 2, 3, 2]), 12);
        Assert.True(double.IsNaN(QlibSeries.Rank([1, Nan])));
    }

    [Fact]
    public void Quantile_interpolates_linearly_like_pandas()
    {
        Assert.Equal(3.4, QlibSeries.Quantile([1, 2, 3, 4], 0.8), 12);
        Assert.Equal(1.6, QlibSeries.Quantile([4, 1, 2, 3], 0.2), 12);
    }

    [Fact]
    public void Slope_rsquare_and_residual_of_the_newest_value()
    {
        double[] y = [1, 2, 4];
        Assert.Equal(1.5, QlibSeries.Slope(y), 12);
        Assert.Equal(27.0 / 28, QlibSeries.Rsquare(y), 12);
        Assert.Equal(4 - (5.0 / 6 + 1.5 * 2), QlibSeries.Resi(y), 12);
    }

    [Fact]
    public void Correlation_uses_pairwise_complete_bars()
    {
        double[] a = [1, 2, Nan, 4];
        double[] b = [2, 4, 5, 8];
        Assert.Equal(1.0, QlibSeries.Pair(a, b, 4, correlation: true)[3], 12);
        Assert.Equal(14.0 / 3, QlibSeries.Pair(a, b, 4, correlation: false)[3], 12);
    }

    [Fact]
    public void Adjusted_ewm_weights_past_values_by_age()
    {
        var ewm = QlibSeries.EwmAdjusted([1, 2, 3], 0.5, 1);
        Assert.Equal(1, ewm[0]);
        Assert.Equal((2 + 0.5) / 1.5, ewm[1], 12);
        Assert.Equal((3 + 1 + 0.25) / 1.75, ewm[2], 12);
    }
}
