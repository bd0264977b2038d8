using QuantPipeline.Core.Synthetic;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class PanelStreamingTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Theory]
    [InlineData(BarFrequency.Daily, 7, 3)]
    [InlineData(BarFrequency.Minute, 2, 1)]
    public void Chunks_with_lookback_reassemble_the_whole_panel(BarFrequency frequency, int sessionsPerChunk, int lookback)
    {
        var spec = new SyntheticMarketSpec
        {
            Symbols = 6, From = new(2024, 3, 4), To = new(2024, 3, 22), Seed = 2, ListingChurn = 0.5,
            Frequency = frequency == BarFrequency.Daily ? SyntheticFrequency.Daily : SyntheticFrequency.Minute,
        };
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.Ingest(new SyntheticMarket(spec));
        var request = new PanelRequest { From = spec.From, To = spec.To, Frequency = frequency, Fields = ["close", "volume"] };
        var whole = store.LoadPanel(request);

        var rows = new List<float>();
        var first = true;
        foreach (var chunk in store.StreamPanels(request, sessionsPerChunk, lookback))
        {
            Assert.Equal(whole.Symbols, chunk.Panel.Symbols);
            Assert.Equal(first ? 0 : lookback * (frequency == BarFrequency.Daily ? 1 : 390), chunk.Lookback);
            var close = chunk.Panel.Field("close");
            rows.AddRange(close[(chunk.Lookback * chunk.Panel.N)..]);
            // The overlap repeats exactly the rows of the whole panel before the chunk.
            var t0 = whole.IndexOfTimestamp(chunk.Panel.Timestamps[0]);
            Assert.Equal(whole.Field("close").AsSpan(t0 * whole.N, chunk.Panel.T * whole.N).ToArray(), close);
            first = false;
        }

        Assert.Equal(whole.Field("close"), rows.ToArray());
    }

    public void Dispose() => _files.Dispose();
}
