using QuantPipeline.Core.Data;
using QuantPipeline.Core.Progress;
using QuantPipeline.Core.Synthetic;

namespace QuantPipeline.Storage.Market;

/// <summary>Loads a <see cref="SyntheticMarket"/> into the store: listings, then the streamed bars, then the corporate actions.</summary>
public static class SyntheticMarketIngest
{
    public static IngestResult Ingest(this MarketStore store, SyntheticMarket market) => Ingest(store, market, progress: null);

    /// <param name="progress">Receives ("ingest", bars read, bars expected) as the generated bars stream into the store.</param>
    public static IngestResult Ingest(this MarketStore store, SyntheticMarket market, IProgress<ProgressUpdate>? progress)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(market);
        store.AddSymbols(market.Listings.Select(l => new SymbolListing(l.Symbol, market.Calendar.Name, l.ListedOn, l.DelistedOn)));
        var result = store.IngestBars(
            progress is null ? market.Bars() : Counted(market, progress),
            new BarIngestOptions
            {
                Frequency = Frequency(market),
                Calendar = market.Calendar.Name,
                Policy = IngestPolicy.Reject,
            },
            source: "synthetic");
        if (market.Actions.Count > 0)
        {
            store.AddCorporateActions(market.Actions.Select(ToAction));
        }

        return result;
    }

    /// <summary>The market's bars, reporting every 10,000th against the daily bars its listings span (minute bars: an upper bound).</summary>
    private static IEnumerable<Bar> Counted(SyntheticMarket market, IProgress<ProgressUpdate> progress)
    {
        var spec = market.Spec;
        var perSession = spec.Frequency == SyntheticFrequency.Minute ? 390L : 1L;
        var expected = market.Listings.Sum(l =>
        {
            var from = l.ListedOn > spec.From ? l.ListedOn : spec.From;
            var to = l.DelistedOn is { } d && d < spec.To ? d : spec.To;
            return from > to ? 0L : market.Calendar.Sessions(from, to).Count * perSession;
        });
        long read = 0;
        progress.Report(new ProgressUpdate("ingest", 0, expected, $"{spec.Symbols} symbols"));
        foreach (var bar in market.Bars())
        {
            if (++read % 10_000 == 0)
            {
                progress.Report(new ProgressUpdate("ingest", Math.Min(read, expected), expected, $"{spec.Symbols} symbols"));
            }

            yield return bar;
        }

        progress.Report(new ProgressUpdate("ingest", expected, expected, $"{read:N0} bars read; validating and storing"));
    }

    public static BarFrequency Frequency(SyntheticMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return market.Spec.Frequency == SyntheticFrequency.Minute ? BarFrequency.Minute : BarFrequency.Daily;
    }

    public static CorporateAction ToAction(SyntheticCorporateAction a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.IsSplit
            ? CorporateAction.Split(a.Symbol, a.ExDate, a.AnnouncedOn, a.Value)
            : CorporateAction.Dividend(a.Symbol, a.ExDate, a.AnnouncedOn, a.Value);
    }
}
