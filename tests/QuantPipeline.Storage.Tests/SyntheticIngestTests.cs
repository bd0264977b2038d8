using QuantPipeline.Core.Synthetic;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class SyntheticIngestTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public void A_generated_market_passes_every_rule_and_back_adjusts_to_a_split_free_series()
    {
        var market = new SyntheticMarket(new SyntheticMarketSpec { Symbols = 40, From = new(2020, 1, 2), To = new(2022, 12, 30), Seed = 11 });
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        var result = store.Ingest(market);
        Assert.Equal(0, result.RowsQuarantined);
        Assert.Equal(result.RowsRead, result.RowsStored);
        var split = market.Actions.First(a => a.IsSplit);
        var request = new PanelRequest { From = new(2020, 1, 2), To = new(2022, 12, 30), Symbols = [split.Symbol], Fields = ["close"] };
        var raw = store.LoadPanel(request).Field("close");
        var adjusted = store.LoadPanel(request with { AdjustAsOf = new DateOnly(2022, 12, 30) }).Field("close");
        var t = XnysSessionIndex(request, split.ExDate);
        Assert.InRange(raw[t] / raw[t - 1], 0.3f, 0.7f);
        Assert.InRange(adjusted[t] / adjusted[t - 1], 0.8f, 1.25f);
        Assert.Equal(raw[^1], adjusted[^1]);
    }

    [Fact]
    public void Minute_bars_stream_through_parquet_and_arrow_files_into_the_store()
    {
        var spec = new SyntheticMarketSpec { Symbols = 8, From = new(2024, 3, 8), To = new(2024, 3, 12), Frequency = SyntheticFrequency.Minute, Seed = 5, ListingChurn = 0 };
        var expected = new SyntheticMarket(spec).Bars().ToList();
        foreach (var name in new[] { "m.parquet", "m.arrow", "m.csv" })
        {
            var path = _files.Path(name);
            Assert.Equal(expected.Count, BarFileWriter.Write(new SyntheticMarket(spec).Bars(), path, BarFrequency.Minute));
            using var store = MarketStore.Open(_files.Path(name + ".duckdb"));
            var result = store.IngestFile(path, new BarIngestOptions { Frequency = BarFrequency.Minute, AddUnknownSymbols = true });
            Assert.Equal(expected.Count, result.RowsStored);
            var panel = store.LoadPanel(new PanelRequest { From = spec.From, To = spec.To, Frequency = BarFrequency.Minute, Fields = ["close"] });
            // 2024-03-11 is the first session after the switch to daylight saving: its minutes start at 13:31 UTC.
            Assert.Equal(3 * 390, panel.T);
            var last = expected[^1];
            Assert.Equal((float)last.Close, panel.Field("close")[^1]);
            Assert.DoesNotContain(panel.Field("close"), float.IsNaN);
        }
    }

    private static int XnysSessionIndex(PanelRequest request, DateOnly day) =>
        Core.Calendars.XnysCalendar.Instance.Sessions(request.From, day).Count - 1;

    public void Dispose() => _files.Dispose();
}
