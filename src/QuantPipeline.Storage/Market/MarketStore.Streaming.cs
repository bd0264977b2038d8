using QuantPipeline.Core.Calendars;

namespace QuantPipeline.Storage.Market;

/// <summary>Long ranges as a sequence of time chunks that overlap by a lookback, so memory stays bounded.</summary>
public sealed partial class MarketStore
{
    /// <summary>
    /// Streams the request's range in chunks of <paramref name="sessionsPerChunk"/> sessions; each chunk also
    /// carries the <paramref name="lookbackSessions"/> sessions before it (fewer at the start of the range).
    /// Every chunk has the same symbols (columns), resolved once for the whole range.
    /// </summary>
    public IEnumerable<PanelChunk> StreamPanels(PanelRequest request, int sessionsPerChunk, int lookbackSessions)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionsPerChunk, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lookbackSessions);
        var calendar = ExchangeCalendars.Get(request.Calendar);
        var sessions = calendar.Sessions(request.From, request.To);
        if (sessions.Count == 0)
        {
            return [];
        }

        var daily = request.Frequency == BarFrequency.Daily;
        var symbols = request.Symbols
            ?? (request.Universe is { } u
                ? UniverseSymbols(u, request.From, request.To, request.KnownAt)
                : SymbolsWithBars(
                    daily,
                    daily ? sessions[0] : DateTime.SpecifyKind(calendar.SessionOpenUtc(sessions[0]), DateTimeKind.Unspecified),
                    daily ? sessions[^1] : DateTime.SpecifyKind(calendar.SessionCloseUtc(sessions[^1]), DateTimeKind.Unspecified),
                    request.KnownAt));
        return Chunks(request with { Symbols = symbols }, sessions, sessionsPerChunk, lookbackSessions);
    }

    private IEnumerable<PanelChunk> Chunks(PanelRequest request, IReadOnlyList<DateOnly> sessions, int sessionsPerChunk, int lookbackSessions)
    {
        for (var start = 0; start < sessions.Count; start += sessionsPerChunk)
        {
            var end = Math.Min(start + sessionsPerChunk, sessions.Count) - 1;
            var first = Math.Max(0, start - lookbackSessions);
            var panel = LoadPanel(request with { From = sessions[first], To = sessions[end] });
            var lookbackRows = panel.Timestamps.Count(t => SessionDateOf(t, request.Frequency) < sessions[start]);
            yield return new PanelChunk(panel, lookbackRows);
        }
    }
}
