using QuantPipeline.Core.Calendars;

namespace QuantPipeline.Core.Tests.Calendars;

public sealed class SimpleCalendarTests
{
    [Fact]
    public void Weekday_calendar_has_every_monday_to_friday_as_a_whole_utc_day()
    {
        var cal = ExchangeCalendars.Get("weekday");
        // January 2024: 31 days starting on a Monday: 23 weekdays.
        Assert.Equal(23, cal.Sessions(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)).Count);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), cal.SessionOpenUtc(new DateOnly(2024, 1, 1)));
        Assert.Equal(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), cal.SessionCloseUtc(new DateOnly(2024, 1, 1)));
        Assert.Equal(1440, cal.SessionMinutes(new DateOnly(2024, 1, 1)).Count);
        Assert.Equal(new DateOnly(2024, 1, 8), cal.NextSession(new DateOnly(2024, 1, 5)));
        Assert.Empty(cal.EarlyCloses(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)));
        Assert.Equal(new DateOnly(2024, 1, 5), cal.SessionOfMinuteBar(new DateTime(2024, 1, 6, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Null(cal.SessionOfMinuteBar(new DateTime(2024, 1, 6, 0, 1, 0, DateTimeKind.Utc)));
        Assert.Equal([new DateOnly(2024, 1, 4), new DateOnly(2024, 1, 5), new DateOnly(2024, 1, 8)], cal.SessionsEndingAt(new DateOnly(2024, 1, 8), 3));
        Assert.Equal(cal.Sessions(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)), WeekdayCalendar.Sessions(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)));
    }

    [Fact]
    public void Always_open_calendar_has_every_day()
    {
        var cal = ExchangeCalendars.Get("24/7");
        Assert.Equal(366, cal.Sessions(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31)).Count);
        Assert.Equal(new DateOnly(2024, 1, 7), cal.NextSession(new DateOnly(2024, 1, 6)));
    }

    [Fact]
    public void Unknown_calendar_names_list_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ExchangeCalendars.Get("XLON"));
        Assert.Contains("XNYS", e.Message);
        Assert.Same(XnysCalendar.Instance, ExchangeCalendars.Get("xnys"));
    }
}
