using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Validation;

namespace QuantPipeline.Orchestrator.Schedule;

/// <summary>
/// Retrain dates on an exchange calendar: every session (daily), or the first session of each week, month or
/// quarter. A period is judged on the whole calendar, not on the requested range, so a range that starts mid-month
/// does not make its first session a monthly retrain date.
/// </summary>
public static class RetrainScheduler
{
    public static readonly IReadOnlyList<string> Frequencies = ["daily", "weekly", "monthly", "quarterly"];

    /// <summary>Retrain dates in [<paramref name="from"/>, <paramref name="to"/>], ascending.</summary>
    public static IReadOnlyList<DateOnly> Dates(DateOnly from, DateOnly to, string frequency, string exchange = "XNYS") =>
        Dates(from, to, frequency, ExchangeCalendars.Get(exchange));

    public static IReadOnlyList<DateOnly> Dates(DateOnly from, DateOnly to, string frequency, IExchangeCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(calendar);
        if (!Frequencies.Contains(frequency))
        {
            throw new ArgumentException($"Unknown frequency '{frequency}'; use one of {string.Join(", ", Frequencies)}.", nameof(frequency));
        }

        if (to < from)
        {
            throw new ArgumentException($"The schedule ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}); swap --from and --to.", nameof(to));
        }

        var sessions = calendar.Sessions(from, to);
        if (sessions.Count == 0)
        {
            return [];
        }

        // The session before the range decides whether the range's first session opens a new period; the calendar's
        // first session has none before it and opens one.
        var withPrevious = new List<DateOnly>(sessions.Count + 1);
        if (calendar.PreviousSessionOrNull(sessions[0]) is { } previous)
        {
            withPrevious.Add(previous);
        }

        withPrevious.AddRange(sessions);
        return RetrainSchedule.Dates(withPrevious, frequency, firstIndex: withPrevious.Count - sessions.Count);
    }
}
