using QuantPipeline.Core.Calendars;

namespace QuantPipeline.Core.Tests.Calendars;

/// <summary>
/// XNYS against the published NYSE schedule: full holiday lists (weekday closures) and session counts
/// for selected years 1990–2025, every ad-hoc closure, early closes and session times across DST changes.
/// </summary>
public sealed class XnysCalendarTests
{
    private static readonly XnysCalendar Nyse = XnysCalendar.Instance;

    /// <summary>NYSE weekday closures per year, as published (month-day).</summary>
    public static TheoryData<int, string[], int> PublishedYears => new()
    {
        { 1990, ["01-01", "02-19", "04-13", "05-28", "07-04", "09-03", "11-22", "12-25"], 253 },
        // New Year's Day 1994 was a Saturday: not observed on Friday 1993-12-31. Nixon's funeral 04-27.
        { 1994, ["02-21", "04-01", "04-27", "05-30", "07-04", "09-05", "11-24", "12-26"], 252 },
        // First year with Martin Luther King Jr. Day.
        { 1998, ["01-01", "01-19", "02-16", "04-10", "05-25", "07-03", "09-07", "11-26", "12-25"], 252 },
        { 1999, ["01-01", "01-18", "02-15", "04-02", "05-31", "07-05", "09-06", "11-25", "12-24"], 252 },
        { 2001, ["01-01", "01-15", "02-19", "04-13", "05-28", "07-04", "09-03", "09-11", "09-12", "09-13", "09-14", "11-22", "12-25"], 248 },
        { 2004, ["01-01", "01-19", "02-16", "04-09", "05-31", "06-11", "07-05", "09-06", "11-25", "12-24"], 252 },
        { 2007, ["01-01", "01-02", "01-15", "02-19", "04-06", "05-28", "07-04", "09-03", "11-22", "12-25"], 251 },
        { 2012, ["01-02", "01-16", "02-20", "04-06", "05-28", "07-04", "09-03", "10-29", "10-30", "11-22", "12-25"], 250 },
        { 2018, ["01-01", "01-15", "02-19", "03-30", "05-28", "07-04", "09-03", "11-22", "12-05", "12-25"], 251 },
        { 2019, ["01-01", "01-21", "02-18", "04-19", "05-27", "07-04", "09-02", "11-28", "12-25"], 252 },
        { 2020, ["01-01", "01-20", "02-17", "04-10", "05-25", "07-03", "09-07", "11-26", "12-25"], 253 },
        { 2021, ["01-01", "01-18", "02-15", "04-02", "05-31", "07-05", "09-06", "11-25", "12-24"], 252 },
        // First year with Juneteenth (a Sunday, observed Monday). 2022-01-01 was a Saturday: 2021-12-31 was open.
        { 2022, ["01-17", "02-21", "04-15", "05-30", "06-20", "07-04", "09-05", "11-24", "12-26"], 251 },
        { 2023, ["01-02", "01-16", "02-20", "04-07", "05-29", "06-19", "07-04", "09-04", "11-23", "12-25"], 250 },
        { 2024, ["01-01", "01-15", "02-19", "03-29", "05-27", "06-19", "07-04", "09-02", "11-28", "12-25"], 252 },
        { 2025, ["01-01", "01-09", "01-20", "02-17", "04-18", "05-26", "06-19", "07-04", "09-01", "11-27", "12-25"], 250 },
    };

    /// <summary>Early closes per year as published: 13:00 from 1993, 14:00 before.</summary>
    public static TheoryData<int, string[], int> PublishedEarlyCloses => new()
    {
        { 1992, ["11-27", "12-24"], 14 },
        { 1997, ["07-03", "11-28", "12-24", "12-26"], 13 },
        { 1999, ["11-26", "12-31"], 13 },
        { 2002, ["07-05", "11-29", "12-24"], 13 },
        { 2003, ["07-03", "11-28", "12-24", "12-26"], 13 },
        { 2012, ["07-03", "11-23", "12-24"], 13 },
        { 2013, ["07-03", "11-29", "12-24"], 13 },
        { 2018, ["07-03", "11-23", "12-24"], 13 },
        { 2019, ["07-03", "11-29", "12-24"], 13 },
        { 2020, ["11-27", "12-24"], 13 },
        { 2021, ["11-26"], 13 },
        { 2022, ["11-25"], 13 },
        { 2023, ["07-03", "11-24"], 13 },
        { 2024, ["07-03", "11-29", "12-24"], 13 },
        { 2025, ["07-03", "11-28", "12-24"], 13 },
    };

    [Theory]
    [MemberData(nameof(PublishedYears))]
    public void Closures_and_session_count_match_the_published_schedule(int year, string[] closures, int sessions)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var expectedClosed = closures.Select(md => DateOnly.ParseExact($"{year}-{md}", "yyyy-MM-dd")).ToHashSet();
        var actualClosed = new List<DateOnly>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Nyse.IsSession(d))
            {
                actualClosed.Add(d);
            }
        }

        Assert.Equal(expectedClosed.Order(), actualClosed);
        Assert.Equal(sessions, Nyse.Sessions(first, last).Count);
    }

    [Theory]
    [MemberData(nameof(PublishedEarlyCloses))]
    public void Early_closes_match_the_published_schedule(int year, string[] dates, int closeHourLocal)
    {
        var expected = dates.Select(md => DateOnly.ParseExact($"{year}-{md}", "yyyy-MM-dd")).ToList();
        Assert.Equal(expected, Nyse.EarlyCloses(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)));
        foreach (var d in expected)
        {
            // All listed dates are in winter or early July; EST is UTC−5, EDT UTC−4.
            var offset = d.Month == 7 ? 4 : 5;
            Assert.Equal(d.ToDateTime(new TimeOnly(closeHourLocal + offset, 0), DateTimeKind.Utc), Nyse.SessionCloseUtc(d));
        }
    }

    [Fact]
    public void Every_ad_hoc_closure_since_1990_is_closed()
    {
        string[] published =
        [
            "1994-04-27", "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11",
            "2007-01-02", "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
        ];
        foreach (var text in published)
        {
            Assert.False(Nyse.IsSession(DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), text);
        }
    }

    [Fact]
    public void Saturday_new_years_days_are_not_observed_on_the_friday_before()
    {
        foreach (var year in new[] { 1993, 1999, 2004, 2010, 2021 })
        {
            var dec31 = new DateOnly(year, 12, 31);
            Assert.Equal(DayOfWeek.Friday, dec31.DayOfWeek);
            Assert.True(Nyse.IsSession(dec31), $"{dec31}");
        }
    }

    [Fact]
    public void Open_and_close_in_utc_follow_new_york_daylight_saving_rules()
    {
        static DateTime Utc(int y, int m, int d, int h, int min) => new(y, m, d, h, min, 0, DateTimeKind.Utc);
        Assert.Equal(Utc(2024, 1, 2, 14, 30), Nyse.SessionOpenUtc(new DateOnly(2024, 1, 2)));
        Assert.Equal(Utc(2024, 1, 2, 21, 0), Nyse.SessionCloseUtc(new DateOnly(2024, 1, 2)));
        Assert.Equal(Utc(2024, 7, 1, 13, 30), Nyse.SessionOpenUtc(new DateOnly(2024, 7, 1)));
        Assert.Equal(Utc(2024, 11, 29, 18, 0), Nyse.SessionCloseUtc(new DateOnly(2024, 11, 29)));
        // DST started on the second Sunday of March from 2007 (03-11), on the first Sunday of April before (2006-04-02).
        Assert.Equal(Utc(2007, 3, 12, 13, 30), Nyse.SessionOpenUtc(new DateOnly(2007, 3, 12)));
        Assert.Equal(Utc(2006, 3, 13, 14, 30), Nyse.SessionOpenUtc(new DateOnly(2006, 3, 13)));
        Assert.Equal(Utc(2006, 4, 3, 13, 30), Nyse.SessionOpenUtc(new DateOnly(2006, 4, 3)));
        // It ended on the last Sunday of October until 2006 (10-29), on the first Sunday of November after (2007-11-04).
        Assert.Equal(Utc(2006, 10, 30, 14, 30), Nyse.SessionOpenUtc(new DateOnly(2006, 10, 30)));
        Assert.Equal(Utc(2007, 11, 2, 13, 30), Nyse.SessionOpenUtc(new DateOnly(2007, 11, 2)));
        Assert.Equal(Utc(1992, 11, 27, 19, 0), Nyse.SessionCloseUtc(new DateOnly(1992, 11, 27)));
    }

    [Fact]
    public void Session_minutes_are_bar_end_times_from_open_plus_one_to_close()
    {
        var regular = Nyse.SessionMinutes(new DateOnly(2024, 1, 2));
        Assert.Equal(390, regular.Count);
        Assert.Equal(new DateTime(2024, 1, 2, 14, 31, 0, DateTimeKind.Utc), regular[0]);
        Assert.Equal(new DateTime(2024, 1, 2, 21, 0, 0, DateTimeKind.Utc), regular[^1]);
        Assert.Equal(210, Nyse.SessionMinutes(new DateOnly(2024, 11, 29)).Count);
    }

    [Fact]
    public void Minute_bars_map_to_their_session_only_inside_trading_hours()
    {
        Assert.Null(Nyse.SessionOfMinuteBar(new DateTime(2024, 1, 2, 14, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateOnly(2024, 1, 2), Nyse.SessionOfMinuteBar(new DateTime(2024, 1, 2, 14, 31, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateOnly(2024, 1, 2), Nyse.SessionOfMinuteBar(new DateTime(2024, 1, 2, 21, 0, 0, DateTimeKind.Utc)));
        Assert.Null(Nyse.SessionOfMinuteBar(new DateTime(2024, 1, 2, 21, 1, 0, DateTimeKind.Utc)));
        Assert.Null(Nyse.SessionOfMinuteBar(new DateTime(2024, 11, 29, 18, 1, 0, DateTimeKind.Utc)));
        Assert.Null(Nyse.SessionOfMinuteBar(new DateTime(2024, 12, 25, 15, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Next_and_previous_skip_closures_and_weekends()
    {
        Assert.Equal(new DateOnly(2001, 9, 17), Nyse.NextSession(new DateOnly(2001, 9, 10)));
        Assert.Equal(new DateOnly(2001, 9, 10), Nyse.PreviousSession(new DateOnly(2001, 9, 17)));
        Assert.Equal(new DateOnly(2024, 12, 26), Nyse.NextSession(new DateOnly(2024, 12, 24)));
        Assert.Equal(new DateOnly(2025, 1, 10), Nyse.NextSession(new DateOnly(2025, 1, 8)));
        Assert.Equal(new DateOnly(2024, 3, 28), Nyse.PreviousSession(new DateOnly(2024, 4, 1)));
    }

    [Fact]
    public void Dates_before_1990_and_non_sessions_are_refused_with_a_reason()
    {
        var early = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.IsSession(new DateOnly(1989, 12, 29)));
        Assert.Contains("1990-01-01", early.Message);
        var closed = Assert.Throws<ArgumentException>(() => Nyse.SessionOpenUtc(new DateOnly(2024, 12, 25)));
        Assert.Contains("2024-12-24", closed.Message);
        Assert.Contains("2024-12-26", closed.Message);
    }

    [Fact]
    public void The_first_and_last_dates_of_the_rules_are_usable_and_past_them_the_error_names_both_limits()
    {
        // 1990-01-01 is New Year's Day, so the calendar's first session is the Tuesday after it.
        Assert.Equal([new DateOnly(1990, 1, 2), new DateOnly(1990, 1, 3)], Nyse.Sessions(new DateOnly(1990, 1, 1), new DateOnly(1990, 1, 3)));
        Assert.Null(Nyse.PreviousSessionOrNull(new DateOnly(1990, 1, 2)));
        Assert.Equal(new DateOnly(1990, 1, 2), Nyse.PreviousSessionOrNull(new DateOnly(1990, 1, 3)));
        var none = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.PreviousSession(new DateOnly(1990, 1, 2)));
        Assert.Contains("no session before 1990-01-02", none.Message);
        Assert.Contains("1990-01-01 to 2099-12-31", none.Message);

        // 2099-12-31 is a Thursday: the last session the rules cover; nothing after it.
        Assert.True(Nyse.IsSession(new DateOnly(2099, 12, 31)));
        var after = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.NextSession(new DateOnly(2099, 12, 31)));
        Assert.Contains("no session after 2099-12-31", after.Message);
        var late = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.Sessions(new DateOnly(2099, 12, 1), new DateOnly(2100, 1, 31)));
        Assert.Contains("1990-01-01 to 2099-12-31; 2100-01-31 is after that", late.Message);
        var early = Assert.Throws<ArgumentOutOfRangeException>(() => Nyse.Sessions(new DateOnly(1989, 12, 1), new DateOnly(1990, 1, 31)));
        Assert.Contains("1989-12-01 is before that", early.Message);
    }

    [Fact]
    public void Easter_matches_known_dates()
    {
        Assert.Equal(new DateOnly(2000, 4, 23), HolidayRules.EasterSunday(2000));
        Assert.Equal(new DateOnly(2008, 3, 23), HolidayRules.EasterSunday(2008));
        Assert.Equal(new DateOnly(2011, 4, 24), HolidayRules.EasterSunday(2011));
        Assert.Equal(new DateOnly(2038, 4, 25), HolidayRules.EasterSunday(2038));
    }
}
