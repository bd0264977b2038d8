namespace QuantPipeline.Core.Calendars;

/// <summary>Monday to Friday, no holidays: the simplest trading calendar.</summary>
public static class WeekdayCalendar
{
    public static bool IsSession(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Sessions from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    public static IReadOnlyList<DateOnly> Sessions(DateOnly from, DateOnly to)
    {
        var sessions = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (IsSession(d))
            {
                sessions.Add(d);
            }
        }

        return sessions;
    }

    /// <summary>The <paramref name="count"/> sessions ending at <paramref name="last"/> (inclusive).</summary>
    public static IReadOnlyList<DateOnly> SessionsEndingAt(DateOnly last, int count)
    {
        var sessions = new List<DateOnly>(count);
        for (var d = last; sessions.Count < count; d = d.AddDays(-1))
        {
            if (IsSession(d))
            {
                sessions.Add(d);
            }
        }

        sessions.Reverse();
        return sessions;
    }
}
