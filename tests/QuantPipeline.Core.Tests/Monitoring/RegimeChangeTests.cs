using QuantPipeline.Core.Synthetic;

namespace QuantPipeline.Core.Tests.Monitoring;

public class RegimeChangeTests
{
    [Fact]
    public void Returns_triple_and_volume_shifts_from_the_change_date_only()
    {
        var market = new SyntheticMarketOptions { Symbols = 5, From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 3, 29), Seed = 3 };
        var change = new DateOnly(2024, 3, 1);
        var original = SyntheticDailyMarket.Generate(market).ToList();
        var shifted = RegimeChange.Apply(SyntheticDailyMarket.Generate(market), new RegimeChangeOptions { From = change, VolatilityMultiplier = 3, VolumeMultiplier = 0.3 }).ToList();
        Assert.Equal(original.Count, shifted.Count);
        for (var k = 0; k < original.Count; k++)
        {
            var (o, s) = (original[k], shifted[k]);
            Assert.Equal(o.Symbol, s.Symbol);
            Assert.Equal(o.Timestamp, s.Timestamp);
            if (DateOnly.FromDateTime(o.Timestamp) < change)
            {
                Assert.Equal(o, s);
                continue;
            }

            Assert.Equal(Math.Round(o.Volume * 0.3), s.Volume);
            Assert.True(s.High >= Math.Max(s.Open, s.Close) && s.Low <= Math.Min(s.Open, s.Close) && s.Low > 0, $"{s}");
        }

        // Close-to-close returns after the change are three times the original ones (up to the 4-decimal price rounding).
        foreach (var symbol in original.Select(b => b.Symbol).Distinct())
        {
            var o = original.Where(b => b.Symbol == symbol).ToList();
            var s = shifted.Where(b => b.Symbol == symbol).ToList();
            for (var i = 1; i < o.Count; i++)
            {
                if (DateOnly.FromDateTime(o[i].Timestamp) < change)
                {
                    continue;
                }

                var expected = 3 * (o[i].Close / o[i - 1].Close - 1);
                Assert.Equal(expected, s[i].Close / s[i - 1].Close - 1, 3);
            }
        }
    }
}
