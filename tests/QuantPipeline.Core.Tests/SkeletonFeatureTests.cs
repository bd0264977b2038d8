using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Synthetic;

namespace QuantPipeline.Core.Tests;

public class SkeletonFeatureTests
{
    private static Panel MarketPanel(int seed, Func<int, int, double, double>? edit = null)
    {
        var bars = SyntheticDailyMarket.Generate(new SyntheticMarketOptions { Symbols = 12, From = new(2022, 1, 3), To = new(2022, 6, 30), Seed = seed }).ToList();
        var dates = bars.Select(b => b.Timestamp).Distinct().Order().ToList();
        var symbols = bars.Select(b => b.Symbol).Distinct().Order(StringComparer.Ordinal).ToList();
        var panel = new Panel(dates, symbols);
        var close = panel.NewBuffer();
        var volume = panel.NewBuffer();
        foreach (var b in bars)
        {
            var i = dates.IndexOf(b.Timestamp);
            var j = symbols.IndexOf(b.Symbol);
            close[i * symbols.Count + j] = (float)(edit?.Invoke(i, j, b.Close) ?? b.Close);
            volume[i * symbols.Count + j] = (float)(edit?.Invoke(i, j, b.Volume) ?? b.Volume);
        }

        return panel.SetField("close", close).SetField("volume", volume);
    }

    [Fact]
    public void Synthetic_market_is_seeded_and_well_formed()
    {
        var a = SyntheticDailyMarket.Generate(new SyntheticMarketOptions { Symbols = 5, Seed = 9, From = new(2022, 1, 3), To = new(2022, 3, 31) }).ToList();
        var b = SyntheticDailyMarket.Generate(new SyntheticMarketOptions { Symbols = 5, Seed = 9, From = new(2022, 1, 3), To = new(2022, 3, 31) }).ToList();
        Assert.Equal(a, b);
        Assert.All(a, bar =>
        {
            Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close) && bar.High >= Math.Max(bar.Open, bar.Close), bar.ToString());
            Assert.True(bar.Low > 0 && bar.Volume > 0);
            Assert.False(bar.Timestamp.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        });
        var returns = a.GroupBy(x => x.Symbol).SelectMany(g => g.Zip(g.Skip(1), (p, q) => q.Close / p.Close - 1)).ToList();
        var sd = Math.Sqrt(returns.Select(r => r * r).Average());
        Assert.InRange(sd, 0.005, 0.06);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public void Features_at_or_before_t_do_not_change_when_later_data_changes(string backend)
    {
        IComputeBackend b = backend == "native" ? NativeBackend.Instance : ManagedBackend.Instance;
        const int cut = 60;
        var original = MarketPanel(4);
        var altered = MarketPanel(4, (i, _, c) => i > cut ? c * 3 : c);
        SkeletonFeatureSet.Compute(original, b);
        SkeletonFeatureSet.Compute(altered, b);
        var n = original.N;
        foreach (var name in SkeletonFeatureSet.Names)
        {
            var x = original.Field(name).AsSpan(0, (cut + 1) * n).ToArray();
            var y = altered.Field(name).AsSpan(0, (cut + 1) * n).ToArray();
            Assert.Equal(x, y);
            Assert.NotEqual(original.Field(name).AsSpan((cut + 1) * n).ToArray(), altered.Field(name).AsSpan((cut + 1) * n).ToArray());
        }
    }

    [Fact]
    public void Ratio_to_mean_matches_a_float64_loop()
    {
        var panel = MarketPanel(5);
        SkeletonFeatureSet.Compute(panel, ManagedBackend.Instance);
        var close = panel.Field("close");
        int t = panel.T, n = panel.N;
        for (var i = 19; i < t; i += 7)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var k = i - 19; k <= i; k++)
                {
                    sum += close[k * n + j];
                }

                var expected = sum / 20 / close[i * n + j] - 1;
                Assert.Equal(expected, panel.Field("ma_ratio_20")[i * n + j], 5);
            }
        }

        Assert.True(float.IsNaN(panel.Field("ma_ratio_20")[18 * n]));
    }
}
