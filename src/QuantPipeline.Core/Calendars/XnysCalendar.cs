using System.Collections.Concurrent;

namespace QuantPipeline.Core.Calendars;

/// <summary>
/// New York Stock Exchange (XNYS) from 1990-01-01: regular hours 09:30–16:00 America/New_York,
/// rule-based holidays, ad-hoc closures and early closes.
/// </summary>
/// <remarks>
/// Why our own rules rather than a library: the .NET options (QLNet's UnitedStates(NYSE) calendar, Nager.Date)
/// model holidays only — neither has early closes or session open/close times, both of which we need for
/// intraday bars and session validation — and QLNet would bring a large pricing library into Core for one
/// table. NYSE's schedule is a short, stable rule set (the same structure as Python's exchange_calendars:
/// regular rules + ad-hoc closures + special closes), so it is written here once and pinned by tests
/// against the published schedule 1990–2025. Adding a future ad-hoc closure is one line in
/// <see cref="AdHocClosures"/>.
/// </remarks>
public sealed class XnysCalendar : ExchangeCalendar
{
    public static readonly XnysCalendar Instance = new();

    /// <summary>Unscheduled full-day closures since 1990: national days of mourning, 9/11, Hurricane Sandy.</summary>
    public static readonly IReadOnlyList<DateOnly> AdHocClosures =
    [
        new(1994, 4, 27), // President Nixon's funeral
        new(2001, 9, 11), new(2001, 9, 12), new(2001, 9, 13), new(2001, 9, 14), // September 11 attacks
        new(2004, 6, 11), // President Reagan's funeral
        new(2007, 1, 2), // President Ford's funeral
        new(2012, 10, 29), new(2012, 10, 30), // Hurricane Sandy
        new(2018, 12, 5), // President G. H. W. Bush's funeral
        new(2025, 1, 9), // President Carter's funeral
    ];

    /// <summary>Early closes decided case by case, outside the rules below (all at 13:00).</summary>
    public static readonly IReadOnlyList<DateOnly> AdHocEarlyCloses =
    [
        new(1997, 12, 26),
        new(1999, 12, 31),
        new(2003, 12, 26),
    ];

    private static readonly TimeSpan RegularOpen = new(9, 30, 0);
    private static readonly TimeSpan RegularClose = new(16, 0, 0);
    private static readonly TimeSpan OnePm = new(13, 0, 0);
    private static readonly TimeSpan TwoPm = new(14, 0, 0);
    private static readonly Lazy<TimeZoneInfo> NewYork = new(() => FindTimeZone("America/New_York"));

    private readonly ConcurrentDictionary<int, YearSchedule> _years = new();

    private XnysCalendar()
    {
    }

    public override string Name => "XNYS";

    public override TimeZoneInfo TimeZone => NewYork.Value;

    public override DateOnly FirstDate { get; } = new(1990, 1, 1);

    protected override TimeSpan RegularCloseLocal => RegularClose;

    /// <summary>The full-day holidays of a year (rule-based and ad hoc) that fall on weekdays.</summary>
    public IReadOnlyCollection<DateOnly> Holidays(int year) => Year(year).Holidays;

    protected override bool IsSessionCore(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Year(date.Year).Holidays.Contains(date);

    protected override TimeSpan OpenLocal(DateOnly session) => RegularOpen;

    protected override TimeSpan CloseLocal(DateOnly session) =>
        Year(session.Year).EarlyCloses.TryGetValue(session, out var close) ? close : RegularClose;

    private YearSchedule Year(int year) => _years.GetOrAdd(year, Build);

    private static YearSchedule Build(int year)
    {
        var holidays = new HashSet<DateOnly>();
        void Add(DateOnly d)
        {
            if (d.Year == year && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                holidays.Add(d);
            }
        }

        // New Year's Day: a Sunday holiday moves to Monday; a Saturday one is not observed on the Friday
        // before, because that Friday is the last session of the year (NYSE Rule 7.2).
        var newYear = new DateOnly(year, 1, 1);
        if (newYear.DayOfWeek != DayOfWeek.Saturday)
        {
            Add(HolidayRules.NearestWeekday(newYear));
        }

        if (year >= 1998)
        {
            Add(HolidayRules.NthWeekday(year, 1, DayOfWeek.Monday, 3)); // Martin Luther King Jr. Day
        }

        Add(HolidayRules.NthWeekday(year, 2, DayOfWeek.Monday, 3)); // Washington's Birthday
        Add(HolidayRules.EasterSunday(year).AddDays(-2)); // Good Friday
        Add(HolidayRules.LastWeekday(year, 5, DayOfWeek.Monday)); // Memorial Day
        if (year >= 2022)
        {
            Add(HolidayRules.NearestWeekday(new DateOnly(year, 6, 19))); // Juneteenth
        }

        Add(HolidayRules.NearestWeekday(new DateOnly(year, 7, 4))); // Independence Day
        Add(HolidayRules.NthWeekday(year, 9, DayOfWeek.Monday, 1)); // Labor Day
        var thanksgiving = HolidayRules.NthWeekday(year, 11, DayOfWeek.Thursday, 4);
        Add(thanksgiving);
        Add(HolidayRules.NearestWeekday(new DateOnly(year, 12, 25))); // Christmas
        foreach (var d in AdHocClosures)
        {
            Add(d);
        }

        var early = new Dictionary<DateOnly, TimeSpan>();
        void Early(DateOnly d, TimeSpan close)
        {
            if (d.Year == year && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(d))
            {
                early[d] = close;
            }
        }

        // Day after Thanksgiving and Christmas Eve (Mon–Thu): 14:00 until 1992, 13:00 from 1993.
        var afterThanksgivingAndEveClose = year < 1993 ? TwoPm : OnePm;
        Early(thanksgiving.AddDays(1), afterThanksgivingAndEveClose);
        var christmasEve = new DateOnly(year, 12, 24);
        if (christmasEve.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday or DayOfWeek.Thursday)
        {
            Early(christmasEve, afterThanksgivingAndEveClose);
        }

        // Independence Day, from 1995: July 3 closes early when it is a Monday, Tuesday or Thursday, and
        // from 2013 also when it is a Wednesday; until 2012 the Friday July 5 after a Thursday holiday
        // closed early instead.
        if (year >= 1995)
        {
            var july3 = new DateOnly(year, 7, 3);
            if (july3.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Thursday
                || (year >= 2013 && july3.DayOfWeek == DayOfWeek.Wednesday))
            {
                Early(july3, OnePm);
            }

            var july5 = new DateOnly(year, 7, 5);
            if (year is >= 1996 and <= 2012 && july5.DayOfWeek == DayOfWeek.Friday)
            {
                Early(july5, OnePm);
            }
        }

        foreach (var d in AdHocEarlyCloses)
        {
            Early(d, OnePm);
        }

        return new YearSchedule(holidays, early);
    }

    private static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new TimeZoneNotFoundException(
                $"Time zone '{id}' is not installed; session times need the IANA time zone database (install the tzdata package).", e);
        }
    }

    private sealed record YearSchedule(HashSet<DateOnly> Holidays, Dictionary<DateOnly, TimeSpan> EarlyCloses);
}
