using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Synthetic;

namespace QuantPipeline.Core.Tests.Synthetic;

/// <summary>The synthetic market's stylised facts, measured with plain float64 statistics.</summary>
public sealed class SyntheticMarketTests
{
    private static readonly SyntheticMarketSpec Daily = new() { Symbols = 60, From = new(2019, 1, 2), To = new(2023, 12, 29), Seed = 7 };

    private static Dictionary<string, List<Bar>> BySymbol(IEnumerable<Bar> bars) =>
        bars.GroupBy(b => b.Symbol).ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Close-to-close returns, skipping ex-dates so splits and dividends do not count as moves.</summary>
    private static Dictionary<string, double[]> Returns(SyntheticMarket market, Dictionary<string, List<Bar>> bars)
    {
        var exDates = market.Actions.Select(a => (a.Symbol, a.ExDate)).ToHashSet();
        return bars.ToDictionary(kv => kv.Key, kv => kv.Value.Skip(1).Select((b, i) => (b, prev: kv.Value[i]))
            .Where(x => !exDates.Contains((x.b.Symbol, DateOnly.FromDateTime(x.b.Timestamp))))
            .Select(x => x.b.Close / x.prev.Close - 1).ToArray());
    }

    [Fact]
    public void Same_seed_gives_the_same_market_and_bars_follow_the_calendar_and_listings()
    {
        var a = new SyntheticMarket(Daily with { To = new(2019, 6, 28) });
        var b = new SyntheticMarket(Daily with { To = new(2019, 6, 28) });
        var barsA = a.Bars().ToList();
        Assert.Equal(barsA, b.Bars().ToList());
        Assert.Equal(a.Actions, b.Actions);
        var sessions = XnysCalendar.Instance.Sessions(new(2019, 1, 2), new(2019, 6, 28)).ToHashSet();
        Assert.All(barsA, bar => Assert.Contains(DateOnly.FromDateTime(bar.Timestamp), sessions));
        var listings = a.Listings.ToDictionary(l => l.Symbol);
        Assert.All(barsA, bar =>
        {
            var day = DateOnly.FromDateTime(bar.Timestamp);
            Assert.True(day >= listings[bar.Symbol].ListedOn && (listings[bar.Symbol].DelistedOn is not { } d || day <= d), $"{bar.Symbol} {day}");
            Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close) && bar.High >= Math.Max(bar.Open, bar.Close) && bar.Low > 0 && bar.Volume >= 0);
        });
    }

    [Fact]
    public void Returns_are_fat_tailed_cluster_in_volatility_and_share_a_factor()
    {
        var market = new SyntheticMarket(Daily);
        var returns = Returns(market, BySymbol(market.Bars()));
        var pooled = returns.Values.SelectMany(r => r).ToArray();
        var mean = pooled.Average();
        var m2 = pooled.Average(r => Math.Pow(r - mean, 2));
        var excessKurtosis = pooled.Average(r => Math.Pow(r - mean, 4)) / (m2 * m2) - 3;
        Assert.True(excessKurtosis > 1, $"excess kurtosis {excessKurtosis}");

        // Volatility clustering: squared returns are positively autocorrelated at lag 1.
        var acf = returns.Values.Where(r => r.Length > 100).Average(r =>
        {
            var sq = r.Select(x => x * x).ToArray();
            var mu = sq.Average();
            double num = 0, den = 0;
            for (var i = 0; i < sq.Length; i++)
            {
                den += (sq[i] - mu) * (sq[i] - mu);
                if (i > 0)
                {
                    num += (sq[i] - mu) * (sq[i - 1] - mu);
                }
            }

            return num / den;
        });
        Assert.True(acf > 0.03, $"lag-1 autocorrelation of squared returns {acf}");

        // Factor structure: the average pairwise correlation is clearly positive.
        var full = returns.Values.Where(r => r.Length == returns.Values.Max(x => x.Length)).Take(20).ToArray();
        var correlations = new List<double>();
        for (var i = 0; i < full.Length; i++)
        {
            for (var j = i + 1; j < full.Length; j++)
            {
                correlations.Add(Correlation(full[i], full[j]));
            }
        }

        Assert.True(correlations.Average() > 0.1, $"mean pairwise correlation {correlations.Average()}");
    }

    [Fact]
    public void Splits_and_dividends_are_announced_ahead_and_show_in_raw_prices_on_the_ex_date()
    {
        var market = new SyntheticMarket(Daily);
        var bars = BySymbol(market.Bars());
        Assert.Contains(market.Actions, a => a.IsSplit);
        Assert.Contains(market.Actions, a => !a.IsSplit);
        Assert.All(market.Actions, a => Assert.True(a.AnnouncedOn < a.ExDate));
        foreach (var split in market.Actions.Where(a => a.IsSplit))
        {
            var series = bars[split.Symbol];
            var i = series.FindIndex(b => DateOnly.FromDateTime(b.Timestamp) == split.ExDate);
            var ratio = series[i].Close / series[i - 1].Close;
            Assert.InRange(ratio, 0.3, 0.7);
        }

        Assert.Contains(market.Listings, l => l.ListedOn > Daily.From);
        Assert.Contains(market.Listings, l => l.DelistedOn is not null);
    }

    [Fact]
    public void Minute_bars_fill_every_session_minute_with_u_shaped_volume()
    {
        var market = new SyntheticMarket(new SyntheticMarketSpec
        {
            Symbols = 20, From = new(2024, 1, 2), To = new(2024, 1, 12), Frequency = SyntheticFrequency.Minute, Seed = 3, ListingChurn = 0,
        });
        var bars = market.Bars().ToList();
        var minutes = XnysCalendar.Instance.MinutesInRange(new(2024, 1, 2), new(2024, 1, 12));
        Assert.Equal(20 * minutes.Count, bars.Count);
        Assert.Equal(minutes, bars.Where(b => b.Symbol == "SYN0000").Select(b => b.Timestamp));
        var byMinute = new double[390];
        foreach (var b in bars)
        {
            var open = XnysCalendar.Instance.SessionOpenUtc(DateOnly.FromDateTime(b.Timestamp));
            byMinute[(int)(b.Timestamp - open).TotalMinutes - 1] += b.Volume;
        }

        var first = byMinute[..15].Average();
        var middle = byMinute[180..210].Average();
        var last = byMinute[^15..].Average();
        Assert.True(first > 2 * middle && last > 2 * middle, $"open {first:N0}, midday {middle:N0}, close {last:N0}");
    }

    [Fact]
    public void The_intraday_profile_sums_to_one()
    {
        Assert.Equal(1.0, SyntheticMarket.IntradayProfile(390).Sum(), 12);
        Assert.Equal(1.0, SyntheticMarket.IntradayProfile(210).Sum(), 12);
    }

    private static double Correlation(double[] x, double[] y)
    {
        var n = Math.Min(x.Length, y.Length);
        double mx = x[..n].Average(), my = y[..n].Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public void The_optional_reversal_subtracts_k_times_the_demeaned_five_session_return_and_is_off_by_default()
    {
        Assert.Equal(0, new SyntheticMarketSpec().ReversalStrength);
        const double k = 0.03;
        var plain = new SyntheticMarketSpec { Symbols = 20, From = new(2022, 1, 3), To = new(2022, 12, 30), Seed = 11, ListingChurn = 0, CorporateActions = false };
        var closesPlain = Closes(new SyntheticMarket(plain));
        var closesReversal = Closes(new SyntheticMarket(plain with { ReversalStrength = k }));
        int t = closesPlain.GetLength(0), n = closesPlain.GetLength(1);
        double Ret(double[,] c, int day, int j) => c[day, j] / c[day - 1, j] - 1;

        var checkedDays = 0;
        for (var day = 6; day < t; day++)
        {
            // The same draws feed both markets, so the only difference in a session's return is the reversal term,
            // computed from the reversal market's own previous five returns.
            var past = new double[n];
            for (var j = 0; j < n; j++)
            {
                for (var lag = 1; lag <= 5; lag++)
                {
                    past[j] += Ret(closesReversal, day - lag, j);
                }
            }

            var mean = past.Average();
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(-k * (past[j] - mean), Ret(closesReversal, day, j) - Ret(closesPlain, day, j), 2e-5);
            }

            checkedDays++;
        }

        Assert.True(checkedDays > 200);
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(plain with { ReversalStrength = k, Frequency = SyntheticFrequency.Minute }));
    }

    private static double[,] Closes(SyntheticMarket market)
    {
        var bars = market.Bars().ToList();
        var closes = new double[market.Sessions.Count, market.Symbols.Count];
        var sessionIndex = market.Sessions.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var symbolIndex = market.Symbols.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        Assert.Equal(closes.Length, bars.Count);
        foreach (var bar in bars)
        {
            closes[sessionIndex[DateOnly.FromDateTime(bar.Timestamp)], symbolIndex[bar.Symbol]] = bar.Close;
        }

        return closes;
    }
}
