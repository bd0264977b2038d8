namespace QuantPipeline.Core.Calendars;

/// <summary>
/// Every Monday to Friday is a full UTC day session (00:00–24:00), no holidays: for synthetic markets
/// and for data whose exchange calendar is unknown. Named WEEKDAY.
/// </summary>
public sealed class FiveDayCalendar : ExchangeCalendar
{
    public static readonly FiveDayCalendar Instance = new();

    private FiveDayCalendar()
    {
    }

    public override string Name => "WEEKDAY";

    public override TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

    public override DateOnly FirstDate { get; } = new(1900, 1, 1);

    protected override TimeSpan RegularCloseLocal => TimeSpan.FromHours(24);

    protected override bool IsSessionCore(DateOnly date) => date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    protected override TimeSpan OpenLocal(DateOnly session) => TimeSpan.Zero;

    protected override TimeSpan CloseLocal(DateOnly session) => TimeSpan.FromHours(24);
}
