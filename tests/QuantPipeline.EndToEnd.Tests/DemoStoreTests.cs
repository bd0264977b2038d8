using QuantPipeline.Core.Calendars;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>The demo's store is filled by the exchange-calendar generator through the normal ingest.</summary>
[Collection(DeployedDemoCollection.Name)]
public sealed class DemoStoreTests(DeployedDemo demo)
{
    [Fact]
    public void Demo_store_holds_every_symbol_on_exactly_the_XNYS_sessions_of_the_range()
    {
        using var store = MarketStore.Open(Path.Combine(demo.Directory, SingleRunDemo.Config.MarketStorePath), readOnly: true);
        var panel = store.LoadDailyPanel(SingleRunDemo.Market.From, SingleRunDemo.Market.To, ["close"]);
        var dates = panel.Timestamps.Select(DateOnly.FromDateTime).ToArray();

        Assert.Equal(ExchangeCalendars.Get("XNYS").Sessions(SingleRunDemo.Market.From, SingleRunDemo.Market.To), dates);
        // NYSE traded 252 sessions in 2021, 251 in 2022 and 250 in 2023; the range spans all of them.
        Assert.Equal(252 + 251 + 250, dates.Length);
        foreach (var holiday in new DateOnly[] { new(2021, 4, 2), new(2021, 7, 5), new(2022, 6, 20), new(2022, 12, 26), new(2023, 1, 16), new(2023, 7, 4), new(2023, 11, 23), new(2023, 12, 25) })
        {
            Assert.DoesNotContain(holiday, dates);
        }

        Assert.Equal(50, panel.N);
        Assert.Equal(50L * dates.Length, store.CountDailyBars());
        Assert.DoesNotContain(panel.Field("close"), float.IsNaN);
    }
}
