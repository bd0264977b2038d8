namespace QuantPipeline.Core.Calendars;

/// <summary>
/// A trading calendar named by its ISO 10383 MIC (or a descriptive name where no exchange exists):
/// which dates are sessions, when each session opens and closes (UTC), and its minutes.
/// </summary>
public interface IExchangeCalendar
{
    /// <summary>ISO MIC such as XNYS, or WEEKDAY / 24/7 for the synthetic calendars.</summary>
    string Name { get; }

    /// <summary>The exchange's local time zone; open and close times are defined in it.</summary>
    TimeZoneInfo TimeZone { get; }

    /// <summary>The first date the calendar's rules cover.</summary>
    DateOnly FirstDate { get; }

    /// <summary>The last date the calendar's rules cover; queries past it fail with an error naming both limits.</summary>
    DateOnly LastDate { get; }

    bool IsSession(DateOnly date);

    /// <summary>True for a session that closes before the regular close.</summary>
    bool IsEarlyClose(DateOnly date);

    /// <summary>Sessions from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    IReadOnlyList<DateOnly> Sessions(DateOnly from, DateOnly to);

    /// <summary>Early-close sessions from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    IReadOnlyList<DateOnly> EarlyCloses(DateOnly from, DateOnly to);

    /// <summary>The first session strictly after <paramref name="date"/>.</summary>
    DateOnly NextSession(DateOnly date);

    /// <summary>The last session strictly before <paramref name="date"/>; fails when none is on or after <see cref="FirstDate"/>.</summary>
    DateOnly PreviousSession(DateOnly date);

    DateTime SessionOpenUtc(DateOnly session);

    DateTime SessionCloseUtc(DateOnly session);

    /// <summary>
    /// The end times (UTC) of the session's one-minute bars, open + 1 min through close: a bar is
    /// stamped with the end of its interval, as <see cref="Data.Bar"/> defines for intraday bars.
    /// </summary>
    IReadOnlyList<DateTime> SessionMinutes(DateOnly session);

    /// <summary>The session whose trading hours contain the bar ending at <paramref name="barEndUtc"/> (open &lt; t ≤ close), if any.</summary>
    DateOnly? SessionOfMinuteBar(DateTime barEndUtc);
}
