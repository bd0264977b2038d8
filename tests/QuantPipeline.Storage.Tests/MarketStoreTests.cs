using QuantPipeline.Core.Data;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class MarketStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-store-").FullName;

    private static DateTime D(int day) => new(2024, 1, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Bars_round_trip_into_a_time_major_panel_with_nan_for_missing()
    {
        var path = Path.Combine(_dir, "m.duckdb");
        using (var store = MarketStore.Open(path))
        {
            Bar[] bars =
            [
                new("BBB", D(2), 10, 11, 9, 10.5, 100),
                new("AAA", D(2), 20, 21, 19, 20.5, 200),
                new("AAA", D(3), 21, 22, 20, 21.5, 210),
            ];
            Assert.Equal(3, store.IngestDailyBars(bars));
        }

        using var reader = MarketStore.Open(path, readOnly: true);
        var panel = reader.LoadDailyPanel(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), ["close", "volume"]);
        Assert.Equal(["AAA", "BBB"], panel.Symbols);
        Assert.Equal([D(2), D(3)], panel.Timestamps);
        var close = panel.Field("close");
        Assert.Equal(20.5f, close[0]);
        Assert.Equal(10.5f, close[1]);
        Assert.Equal(21.5f, close[2]);
        Assert.True(float.IsNaN(close[3]));
        Assert.Equal(210f, panel.Field("volume")[2]);
    }

    [Fact]
    public void A_failed_ingest_leaves_the_store_unchanged()
    {
        var path = Path.Combine(_dir, "m.duckdb");
        using var store = MarketStore.Open(path);
        store.IngestDailyBars([new Bar("AAA", D(2), 1, 1, 1, 1, 1)]);
        // The repeated (symbol, date) inside the batch breaks the duplicate rule after a valid row.
        Bar[] batch = [new("BBB", D(2), 1, 1, 1, 1, 1), new("AAA", D(3), 2, 2, 2, 2, 2), new("AAA", D(3), 2, 2, 2, 2, 2)];
        var e = Assert.Throws<IngestValidationException>(() => store.IngestDailyBars(batch));
        Assert.Equal(ValidationRules.Duplicate, Assert.Single(e.Violations).Rule);
        Assert.Equal(3, e.Violations[0].Row);
        Assert.Equal(1, store.CountDailyBars());
        Assert.Single(store.Batches());
    }

    [Fact]
    public void Snapshot_id_changes_with_content_and_not_otherwise()
    {
        var path = Path.Combine(_dir, "m.duckdb");
        using var store = MarketStore.Open(path);
        store.IngestDailyBars([new Bar("AAA", D(2), 1, 1, 1, 1, 1)]);
        var from = new DateOnly(2024, 1, 1);
        var to = new DateOnly(2024, 1, 31);
        var first = store.SnapshotId(from, to);
        Assert.Equal(first, store.SnapshotId(from, to));
        store.IngestDailyBars([new Bar("AAA", D(3), 1, 1, 1, 1, 1)]);
        Assert.NotEqual(first, store.SnapshotId(from, to));
    }

    [Fact]
    public void Opening_a_missing_store_read_only_says_what_to_do()
    {
        var e = Assert.Throws<FileNotFoundException>(() => MarketStore.Open(Path.Combine(_dir, "none.duckdb"), readOnly: true));
        Assert.Contains("ingest", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
