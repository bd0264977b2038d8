namespace QuantPipeline.Core.Calendars;

/// <summary>Monday to Friday, no holidays: static shortcuts over <see cref="FiveDayCalendar"/>.</summary>
public static class WeekdayCalendar
{
    public static IExchangeCalendar Calendar => FiveDayCalendar.Instance;

    public static bool IsSession(DateOnly date) => FiveDayCalendar.Instance.IsSession(date);

    /// <summary>Sessions from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    public static IReadOnlyList<DateOnly> Sessions(DateOnly from, DateOnly to) => FiveDayCalendar.Instance.Sessions(from, to);

    /// <summary>The <paramref name="count"/> sessions ending at <paramref name="last"/> (inclusive).</summary>
    public static IReadOnlyList<DateOnly> SessionsEndingAt(DateOnly last, int count) => Calendar.SessionsEndingAt(last, count);
}
