using QuantPipeline.Core.Synthetic;

namespace QuantPipeline.Storage.Market;

/// <summary>Loads a <see cref="SyntheticMarket"/> into the store: listings, then the streamed bars, then the corporate actions.</summary>
public static class SyntheticMarketIngest
{
    public static IngestResult Ingest(this MarketStore store, SyntheticMarket market)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(market);
        store.AddSymbols(market.Listings.Select(l => new SymbolListing(l.Symbol, market.Calendar.Name, l.ListedOn, l.DelistedOn)));
        var result = store.IngestBars(
            market.Bars(),
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
