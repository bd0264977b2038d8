namespace QuantPipeline.Core.Calendars;

/// <summary>Every day is a full UTC day session (00:00–24:00), as for crypto venues. Named 24/7.</summary>
public sealed class AlwaysOpenCalendar : ExchangeCalendar
{
    public static readonly AlwaysOpenCalendar Instance = new();

    private AlwaysOpenCalendar()
    {
    }

    public override string Name => "24/7";

    public override TimeZoneInfo TimeZone => TimeZoneInfo.Utc;

    public override DateOnly FirstDate { get; } = new(1900, 1, 1);

    protected override TimeSpan RegularCloseLocal => TimeSpan.FromHours(24);

    protected override bool IsSessionCore(DateOnly date) => true;

    protected override TimeSpan OpenLocal(DateOnly session) => TimeSpan.Zero;

    protected override TimeSpan CloseLocal(DateOnly session) => TimeSpan.FromHours(24);
}
