using System.Runtime.InteropServices;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Panels;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class PointInTimeTests : IDisposable
{
    private static readonly DateTime Jan3 = new(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Jan10 = new(2024, 1, 10, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Jan15 = new(2024, 1, 15, 0, 0, 0, DateTimeKind.Utc);

    private readonly TestFiles _files = new();

    private static Bar B(string symbol, int day, double close) => new(symbol, new DateTime(2024, 1, day, 0, 0, 0, DateTimeKind.Utc), close, close + 1, close - 1, close, 100);

    private static BarIngestOptions Known(DateTime at) => new() { KnownAt = at, AddUnknownSymbols = true };

    private static PanelRequest AsOf(DateTime knownAt) => new() { From = new(2024, 1, 2), To = new(2024, 1, 5), KnownAt = knownAt, Symbols = ["AAA", "BBB"], Fields = ["open", "close"] };

    private static byte[] Bytes(Panel panel)
    {
        var bytes = new List<byte>();
        foreach (var t in panel.Timestamps)
        {
            bytes.AddRange(BitConverter.GetBytes(t.Ticks));
        }

        foreach (var f in new[] { "open", "close" })
        {
            bytes.AddRange(MemoryMarshal.AsBytes(panel.Field(f).AsSpan()).ToArray());
        }

        bytes.AddRange(MemoryMarshal.AsBytes(panel.Membership.AsSpan()).ToArray());
        return bytes.ToArray();
    }

    [Fact]
    public void A_correction_ingested_after_the_as_of_never_appears_and_the_query_returns_identical_bytes()
    {
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.IngestBars([B("AAA", 2, 10), B("BBB", 2, 20), B("AAA", 3, 11), B("BBB", 3, 21)], Known(Jan3));
        var before = store.LoadPanel(AsOf(Jan10));
        var snapshotBefore = store.SnapshotId(AsOf(Jan10));

        var correction = store.IngestBars([B("AAA", 2, 12.5)], Known(Jan15));
        Assert.Equal(1, correction.RowsStored);

        var after = store.LoadPanel(AsOf(Jan10));
        Assert.Equal(Bytes(before), Bytes(after));
        Assert.Equal(snapshotBefore, store.SnapshotId(AsOf(Jan10)));
        Assert.Equal(10f, after.Field("close")[0]);

        var later = store.LoadPanel(AsOf(Jan15));
        Assert.Equal(12.5f, later.Field("close")[0]);
        Assert.Equal(21f, later.Field("close")[3]);
        Assert.NotEqual(snapshotBefore, store.SnapshotId(AsOf(Jan15)));

        // Before anything was known the panel is all NaN.
        Assert.All(store.LoadPanel(AsOf(Jan3.AddTicks(-10))).Field("close"), v => Assert.True(float.IsNaN(v)));
        // Both versions are kept: the original is not overwritten.
        Assert.Equal(5, store.Batches().Sum(b => b.RowsStored));
        Assert.Equal(4, store.CountDailyBars());
    }

    [Fact]
    public void Versions_arriving_out_of_order_resolve_by_their_available_time()
    {
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.IngestBars([B("AAA", 2, 10)], Known(Jan3));
        store.IngestBars([B("AAA", 2, 30)], Known(Jan15));
        // A vendor restatement that was known on Jan 8, loaded after the Jan 15 version.
        store.IngestBars([B("AAA", 2, 20)], Known(new DateTime(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc)));

        float CloseAt(int day) => store.LoadPanel(AsOf(new DateTime(2024, 1, day, 0, 0, 0, DateTimeKind.Utc))).Field("close")[0];
        Assert.Equal(10f, CloseAt(5));
        Assert.Equal(20f, CloseAt(10));
        Assert.Equal(30f, CloseAt(20));
    }

    [Fact]
    public void An_available_at_column_in_the_source_sets_when_each_row_became_known()
    {
        var csv = _files.Write("pit.csv", """
            symbol,date,open,high,low,close,volume,available_at
            AAA,2024-01-02,10,11,9,10,100,2024-01-02 21:05:00
            AAA,2024-01-03,10,11,9,10.5,100,2024-01-03 21:05:00

            """);
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.IngestFile(csv, new BarIngestOptions { AddUnknownSymbols = true });
        var panel = store.LoadPanel(AsOf(new DateTime(2024, 1, 3, 12, 0, 0, DateTimeKind.Utc)) with { Symbols = ["AAA"] });
        Assert.Equal(10f, panel.Field("close")[0]);
        Assert.True(float.IsNaN(panel.Field("close")[1]));
    }

    public void Dispose() => _files.Dispose();
}
