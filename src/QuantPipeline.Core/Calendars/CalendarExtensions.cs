namespace QuantPipeline.Core.Calendars;

/// <summary>Derived queries that work on any calendar.</summary>
public static class CalendarExtensions
{
    /// <summary>The <paramref name="count"/> sessions ending at <paramref name="last"/> (inclusive when it is a session).</summary>
    public static IReadOnlyList<DateOnly> SessionsEndingAt(this IExchangeCalendar calendar, DateOnly last, int count)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var sessions = new List<DateOnly>(count);
        var d = last;
        if (count > 0 && !calendar.IsSession(d))
        {
            d = calendar.PreviousSession(d);
        }

        while (sessions.Count < count)
        {
            sessions.Add(d);
            if (sessions.Count < count)
            {
                d = calendar.PreviousSession(d);
            }
        }

        sessions.Reverse();
        return sessions;
    }

    /// <summary>The last session strictly before <paramref name="date"/>, or null when the calendar's rules hold none (its first session).</summary>
    public static DateOnly? PreviousSessionOrNull(this IExchangeCalendar calendar, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        for (var d = date; d > calendar.FirstDate;)
        {
            d = d.AddDays(-1);
            if (d <= calendar.LastDate && calendar.IsSession(d))
            {
                return d;
            }
        }

        return null;
    }

    /// <summary>All minute-bar end times (UTC) of the sessions in [from, to], in order.</summary>
    public static IReadOnlyList<DateTime> MinutesInRange(this IExchangeCalendar calendar, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var minutes = new List<DateTime>();
        foreach (var session in calendar.Sessions(from, to))
        {
            minutes.AddRange(calendar.SessionMinutes(session));
        }

        return minutes;
    }
}
