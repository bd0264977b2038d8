namespace QuantPipeline.Core.Calendars;

/// <summary>
/// Shared machinery for calendars defined by a session rule plus local open and close times:
/// session ranges, next/previous, UTC conversion and minutes. Subclasses supply the rules.
/// </summary>
public abstract class ExchangeCalendar : IExchangeCalendar
{
    public abstract string Name { get; }

    public abstract TimeZoneInfo TimeZone { get; }

    public abstract DateOnly FirstDate { get; }

    /// <summary>
    /// The rules are projected forward, so the end is a bound on what is worth asking rather than on what is known;
    /// it keeps a date far in the future (or a typo such as 20244-01-01) from walking towards DateOnly.MaxValue.
    /// </summary>
    public virtual DateOnly LastDate { get; } = new(2099, 12, 31);

    public bool IsSession(DateOnly date)
    {
        EnsureCovered(date);
        return IsSessionCore(date);
    }

    public bool IsEarlyClose(DateOnly date)
    {
        EnsureCovered(date);
        return IsSessionCore(date) && CloseLocal(date) < RegularCloseLocal;
    }

    public IReadOnlyList<DateOnly> Sessions(DateOnly from, DateOnly to)
    {
        EnsureCovered(from);
        EnsureCovered(to);
        var sessions = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (IsSessionCore(d))
            {
                sessions.Add(d);
            }
        }

        return sessions;
    }

    public IReadOnlyList<DateOnly> EarlyCloses(DateOnly from, DateOnly to) =>
        Sessions(from, to).Where(d => CloseLocal(d) < RegularCloseLocal).ToList();

    public DateOnly NextSession(DateOnly date)
    {
        EnsureCovered(date);
        for (var d = date; d < LastDate;)
        {
            d = d.AddDays(1);
            if (IsSessionCore(d))
            {
                return d;
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(date),
            $"{Name} has no session after {date:yyyy-MM-dd} within its rules, which cover {FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}. Use dates before {LastDate:yyyy-MM-dd}.");
    }

    public DateOnly PreviousSession(DateOnly date)
    {
        EnsureCovered(date);
        for (var d = date; d > FirstDate;)
        {
            d = d.AddDays(-1);
            if (IsSessionCore(d))
            {
                return d;
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(date),
            $"{Name} has no session before {date:yyyy-MM-dd} within its rules, which cover {FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}. Use dates from the calendar's first session on.");
    }

    public DateTime SessionOpenUtc(DateOnly session)
    {
        EnsureSession(session);
        return ToUtc(session, OpenLocal(session));
    }

    public DateTime SessionCloseUtc(DateOnly session)
    {
        EnsureSession(session);
        var close = CloseLocal(session);
        // A close of 24:00 is midnight at the start of the next day.
        return close == TimeSpan.FromHours(24)
            ? ToUtc(session.AddDays(1), TimeSpan.Zero)
            : ToUtc(session, close);
    }

    public IReadOnlyList<DateTime> SessionMinutes(DateOnly session)
    {
        var open = SessionOpenUtc(session);
        var count = (int)(SessionCloseUtc(session) - open).TotalMinutes;
        var minutes = new DateTime[count];
        for (var i = 0; i < count; i++)
        {
            minutes[i] = open.AddMinutes(i + 1);
        }

        return minutes;
    }

    public DateOnly? SessionOfMinuteBar(DateTime barEndUtc)
    {
        if (barEndUtc.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException($"Bar time {barEndUtc:O} is local machine time; pass UTC.", nameof(barEndUtc));
        }

        var utc = DateTime.SpecifyKind(barEndUtc, DateTimeKind.Utc);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZone);
        // The bar ending exactly at midnight belongs to the previous local day's session.
        foreach (var candidate in new[] { DateOnly.FromDateTime(local), DateOnly.FromDateTime(local.AddTicks(-1)) }.Distinct())
        {
            if (candidate < FirstDate || candidate > LastDate || !IsSessionCore(candidate))
            {
                continue;
            }

            if (utc > SessionOpenUtc(candidate) && utc <= SessionCloseUtc(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The rule: is this date (already known to be covered) a session.</summary>
    protected abstract bool IsSessionCore(DateOnly date);

    /// <summary>The regular close as a time of day in local time; an earlier close marks an early close.</summary>
    protected abstract TimeSpan RegularCloseLocal { get; }

    protected abstract TimeSpan OpenLocal(DateOnly session);

    protected abstract TimeSpan CloseLocal(DateOnly session);

    private DateTime ToUtc(DateOnly date, TimeSpan localTime)
    {
        var local = DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue).Add(localTime), DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(local, TimeZone);
    }

    private void EnsureCovered(DateOnly date)
    {
        if (date < FirstDate || date > LastDate)
        {
            throw new ArgumentOutOfRangeException(
                nameof(date),
                $"{Name} calendar rules cover {FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}; {date:yyyy-MM-dd} is {(date < FirstDate ? "before" : "after")} that. Use dates from {FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}.");
        }
    }

    private void EnsureSession(DateOnly date)
    {
        if (!IsSession(date))
        {
            throw new ArgumentException(
                $"{date:yyyy-MM-dd} ({date.DayOfWeek}) is not a {Name} session; the previous session is {PreviousSession(date):yyyy-MM-dd} and the next is {NextSession(date):yyyy-MM-dd}.",
                nameof(date));
        }
    }
}
