namespace QuantPipeline.Core.Calendars;

/// <summary>Looks calendars up by name: ISO MIC (XNYS) or WEEKDAY / 24/7.</summary>
public static class ExchangeCalendars
{
    private static readonly IExchangeCalendar[] All = [XnysCalendar.Instance, FiveDayCalendar.Instance, AlwaysOpenCalendar.Instance];

    public static IReadOnlyList<string> Names { get; } = All.Select(c => c.Name).ToArray();

    public static IExchangeCalendar Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown exchange calendar '{name}'. Known calendars: {string.Join(", ", Names)}.", nameof(name));
    }
}
