using QuantPipeline.Core.Monitoring;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Core.Tests.Monitoring;

public class DataQualityTests
{
    private static readonly string[] Fields = ["close", "volume"];

    [Fact]
    public void Finds_missing_sessions_shrinkage_NaN_bursts_and_price_jumps()
    {
        // Expected: Mon 2024-03-04 .. Fri 2024-03-15 (10 sessions); stored data lacks Wed 03-06 and everything after Wed 03-13.
        var expected = Enumerable.Range(0, 12).Select(i => new DateOnly(2024, 3, 4).AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        var stored = expected.Where(d => d != new DateOnly(2024, 3, 6) && d <= new DateOnly(2024, 3, 13)).ToList();
        const int n = 10;
        var panel = new Panel([.. stored.Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))], [.. Enumerable.Range(0, n).Select(j => $"S{j}")]);
        int t = stored.Count;
        var close = new float[t * n];
        var volume = new float[t * n];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                close[i * n + j] = 100 + j + 0.1f * i;
                volume[i * n + j] = 1000;
            }
        }

        // S3 jumps +60 % on 03-08 (row 3) and gives it back the next session (−37.5 %, inside the 40 % bound).
        close[3 * n + 3] = close[2 * n + 3] * 1.6f;
        close[4 * n + 3] = close[3 * n + 3] * 0.625f;
        // 03-11 (row 4): volume missing for 3 of 10 symbols (a burst above 20 %); 03-07 (row 2): 2 of 10 (not a burst).
        volume[4 * n + 0] = volume[4 * n + 1] = volume[4 * n + 2] = float.NaN;
        volume[2 * n + 5] = volume[2 * n + 6] = float.NaN;
        // Last stored session: only 8 symbols have a close (20 % fewer than the peak).
        close[(t - 1) * n + 8] = close[(t - 1) * n + 9] = float.NaN;
        panel.SetField("close", close).SetField("volume", volume);

        var asOf = new DateOnly(2024, 3, 15);
        var report = DataQuality.Check(panel, expected, new DateOnly(2024, 3, 4), asOf, Fields);

        Assert.Equal([new DateOnly(2024, 3, 6), new DateOnly(2024, 3, 14), new DateOnly(2024, 3, 15)], report.MissingSessions);
        Assert.True(report.Stale);
        Assert.Equal(new DateOnly(2024, 3, 13), report.LastObserved);
        Assert.Equal(asOf, report.LastExpected);
        Assert.Equal(8, report.UniverseSize);
        Assert.Equal(10, report.UniversePeak);
        Assert.True(report.UniverseShrunk);
        // The last session's two missing closes are a burst in 'close' too (20 % is not above 20 %, so no).
        Assert.Equal([new NanBurst(new DateOnly(2024, 3, 11), "volume", 3, 10)], report.NanBursts);
        var jump = Assert.Single(report.PriceJumps);
        Assert.Equal("S3", jump.Symbol);
        Assert.Equal(new DateOnly(2024, 3, 8), jump.Session);
        Assert.Equal(0.6, jump.Return, 5);
    }

    [Fact]
    public void Clean_complete_data_raises_nothing()
    {
        var sessions = Enumerable.Range(0, 5).Select(i => new DateOnly(2024, 3, 4).AddDays(i)).ToList();
        var panel = new Panel([.. sessions.Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))], ["A", "B", "C"]);
        panel.SetField("close", [.. Enumerable.Range(0, 15).Select(c => 50f + c)]).SetField("volume", [.. Enumerable.Repeat(10f, 15)]);
        var report = DataQuality.Check(panel, sessions, sessions[0], sessions[^1], Fields);
        Assert.Empty(report.MissingSessions);
        Assert.False(report.Stale);
        Assert.False(report.UniverseShrunk);
        Assert.Empty(report.NanBursts);
        Assert.Empty(report.PriceJumps);
    }
}
