using DuckDB.NET.Data;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class StoreMigrationTests : IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public void A_store_written_before_versioning_is_migrated_forward_with_its_bars()
    {
        var path = _files.Path("legacy.duckdb");
        using (var c = new DuckDBConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE daily_bars (symbol VARCHAR NOT NULL, date DATE NOT NULL, open DOUBLE NOT NULL, high DOUBLE NOT NULL,
                    low DOUBLE NOT NULL, close DOUBLE NOT NULL, volume DOUBLE NOT NULL, ingested_at TIMESTAMP NOT NULL, PRIMARY KEY (symbol, date));
                INSERT INTO daily_bars VALUES ('AAA', DATE '2024-01-02', 10, 11, 9, 10.5, 100, TIMESTAMP '2024-01-02 22:00:00');
                """;
            cmd.ExecuteNonQuery();
        }

        var readOnly = Assert.Throws<InvalidOperationException>(() => MarketStore.Open(path, readOnly: true));
        Assert.Contains("schema version 1", readOnly.Message);

        using (var store = MarketStore.Open(path))
        {
            Assert.Equal(MarketStore.CurrentSchemaVersion, store.SchemaVersion);
            Assert.Equal(1, store.CountDailyBars());
            var batch = Assert.Single(store.Batches());
            Assert.Equal(1, batch.RowsStored);
        }

        using var reader = MarketStore.Open(path, readOnly: true);
        var panel = reader.LoadDailyPanel(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31), ["close"]);
        Assert.Equal(10.5f, Assert.Single(panel.Field("close")));
    }

    [Fact]
    public void A_new_store_starts_at_the_current_version_and_reopening_applies_nothing()
    {
        var path = _files.Path("new.duckdb");
        using (var store = MarketStore.Open(path))
        {
            Assert.Equal(3, store.SchemaVersion); // 3: open, high, low and volume may be missing (partial bar files)
        }

        using var again = MarketStore.Open(path);
        Assert.Equal(3, again.SchemaVersion);
    }

    public void Dispose() => _files.Dispose();
}
