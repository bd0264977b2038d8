using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

public sealed class IngestValidationTests : IDisposable
{
    // One row per rule after two valid rows; XNYS sessions 2024-01-02..05 (01-01 is a holiday, 01-06 a Saturday).
    private const string BadCsv = """
        symbol,date,open,high,low,close,volume
        AAA,2024-01-02,10,11,9,10.5,1000
        AAA,2024-01-03,10.5,11,10,10.8,1200
        AAA,2024-01-03,10.5,11,10,10.8,1200
        AAA,2024-01-01,10,11,9,10,100
        BBB,2024-01-02,-1,11,9,10,100
        BBB,2024-01-03,10,11,9,10,-5
        BBB,2024-01-04,10,9,11,10,100
        BBB,2024-01-05,12,11,9,10,100
        CCC,2024-01-06,10,11,9,10,100
        DDD,2024-01-02,10,11,9,10,100
        AAA,2024-01-04,abc,11,9,10,100
        AAA,2024-01-05,10,11,9,10,

        """;

    private static readonly (long Row, string Symbol, string Rule)[] ExpectedViolations =
    [
        (3, "AAA", ValidationRules.Duplicate),
        (4, "AAA", ValidationRules.NonMonotonicTimestamp),
        (5, "BBB", ValidationRules.NonPositivePrice),
        (6, "BBB", ValidationRules.NegativeVolume),
        (7, "BBB", ValidationRules.HighBelowLow),
        (8, "BBB", ValidationRules.OpenCloseOutsideRange),
        (9, "CCC", ValidationRules.OutsideSession),
        (10, "DDD", ValidationRules.UnknownSymbol),
        (11, "AAA", ValidationRules.MalformedValue),
        (12, "AAA", ValidationRules.MissingValue),
    ];

    private readonly TestFiles _files = new();

    private MarketStore OpenWithSymbols()
    {
        var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.AddSymbols([new("AAA", "XNYS", new(2000, 1, 3)), new("BBB", "XNYS", new(2000, 1, 3)), new("CCC", "XNYS", new(2000, 1, 3))]);
        return store;
    }

    [Fact]
    public void Reject_names_file_row_symbol_and_rule_of_every_violation_and_stores_nothing()
    {
        var csv = _files.Write("bad.csv", BadCsv);
        using var store = OpenWithSymbols();
        var e = Assert.Throws<IngestValidationException>(() => store.IngestFile(csv, new BarIngestOptions()));
        Assert.Equal(ExpectedViolations.Length, e.TotalViolations);
        Assert.Equal(ExpectedViolations, e.Violations.Select(v => (v.Row, v.Symbol!, v.Rule)).ToArray());
        Assert.Contains("bad.csv (line 4): row 3, symbol AAA, 2024-01-03: [duplicate] same symbol and time as an earlier row", e.Message);
        Assert.Contains("open='abc'", e.Violations[8].Message);
        Assert.Contains("volume", e.Violations[9].Message);
        Assert.Contains("high 9.0 is below low 11.0", e.Violations[4].Message);
        Assert.Equal(0, store.CountDailyBars());
        Assert.Single(store.Batches()); // only the symbols batch
        Assert.Empty(store.Quarantined());
    }

    [Fact]
    public void Quarantine_keeps_valid_rows_and_sets_every_invalid_row_aside_with_its_reason()
    {
        var csv = _files.Write("bad.csv", BadCsv);
        using var store = OpenWithSymbols();
        var result = store.IngestFile(csv, new BarIngestOptions { Policy = IngestPolicy.Quarantine });
        Assert.Equal(12, result.RowsRead);
        Assert.Equal(2, result.RowsStored);
        Assert.Equal(10, result.RowsQuarantined);
        Assert.Equal(ContentHash.Sha256OfFile(csv), result.ContentSha256);
        Assert.StartsWith("B000002-", result.BatchId);
        var quarantined = store.Quarantined(result.BatchId);
        Assert.Equal(ExpectedViolations, quarantined.Select(v => (v.Row, v.Symbol!, v.Rule)).ToArray());
        Assert.Equal(2, store.CountDailyBars());
        var panel = store.LoadPanel(new PanelRequest { From = new(2024, 1, 2), To = new(2024, 1, 3), Fields = ["close"] });
        Assert.Equal(["AAA"], panel.Symbols);
        Assert.Equal([10.5f, 10.8f], panel.Field("close"));
    }

    [Fact]
    public void Mapped_columns_one_symbol_files_and_exchange_local_times_become_utc_minute_bars()
    {
        var csv = _files.Write("aaa.csv", """
            Datetime,Open,High,Low,Close,Vol
            2024-01-02 09:31:00,10,11,9,10.5,100
            2024-01-02 09:32:00,10.5,11,10,10.7,120
            2024-01-02 16:01:00,10.5,11,10,10.7,120
            2024-07-01T09:31:00-04:00,20,21,19,20.5,50

            """);
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        var result = store.IngestFile(csv, new BarIngestOptions
        {
            Frequency = BarFrequency.Minute,
            Symbol = "AAA",
            SourceTimeZone = "exchange",
            AddUnknownSymbols = true,
            Policy = IngestPolicy.Quarantine,
            ColumnMap = new Dictionary<string, string> { ["timestamp"] = "Datetime", ["volume"] = "Vol" },
        });
        Assert.Equal((3L, 1L), (result.RowsStored, result.RowsQuarantined));
        Assert.Equal(ValidationRules.OutsideSession, Assert.Single(store.Quarantined()).Rule);
        var jan = store.LoadPanel(new PanelRequest { From = new(2024, 1, 2), To = new(2024, 1, 2), Frequency = BarFrequency.Minute, Fields = ["close", "volume"] });
        Assert.Equal(390, jan.T);
        Assert.Equal(new DateTime(2024, 1, 2, 14, 31, 0, DateTimeKind.Utc), jan.Timestamps[0]);
        Assert.Equal([10.5f, 10.7f], jan.Field("close")[..2]);
        Assert.Equal(120f, jan.Field("volume")[1]);
        Assert.True(float.IsNaN(jan.Field("close")[2]));
        var jul = store.LoadPanel(new PanelRequest { From = new(2024, 7, 1), To = new(2024, 7, 1), Frequency = BarFrequency.Minute, Fields = ["close"] });
        Assert.Equal(new DateTime(2024, 7, 1, 13, 31, 0, DateTimeKind.Utc), jul.Timestamps[0]);
        Assert.Equal(20.5f, jul.Field("close")[0]);
    }

    [Fact]
    public void A_time_repeated_after_a_step_back_is_caught_so_accepted_rows_strictly_increase()
    {
        var csv = _files.Write("order.csv", """
            symbol,date,open,high,low,close,volume
            AAA,2024-01-02,10,11,9,10,100
            AAA,2024-01-03,10,11,9,10,100
            AAA,2024-01-02,10,11,9,10,100
            AAA,2024-01-03,10,11,9,10,100
            AAA,2024-01-04,10,11,9,10,100
            BBB,2024-01-03,10,11,9,10,100
            BBB,2024-01-02,10,11,9,10,
            BBB,2024-01-03,10,11,9,10,100

            """);
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        var result = store.IngestFile(csv, new BarIngestOptions { AddUnknownSymbols = true, Policy = IngestPolicy.Quarantine });
        Assert.Equal(4, result.RowsStored);
        Assert.Equal(
            [(3L, ValidationRules.NonMonotonicTimestamp), (4L, ValidationRules.Duplicate), (7L, ValidationRules.MissingValue), (8L, ValidationRules.Duplicate)],
            store.Quarantined(result.BatchId).Select(v => (v.Row, v.Rule)).ToArray());
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_found()
    {
        var csv = _files.Write("x.csv", "ticker,date,open,high,low,close,volume\nAAA,2024-01-02,1,1,1,1,1\n");
        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        var e = Assert.Throws<ArgumentException>(() => store.IngestFile(csv, new BarIngestOptions()));
        Assert.Contains("x.csv", e.Message);
        Assert.Contains("symbol", e.Message);
        Assert.Contains("ticker", e.Message);
        var ok = store.IngestFile(csv, new BarIngestOptions { AddUnknownSymbols = true, ColumnMap = new Dictionary<string, string> { ["symbol"] = "ticker" } });
        Assert.Equal(1, ok.RowsStored);
    }

    [Fact]
    public void Parquet_and_arrow_ipc_files_ingest_like_csv()
    {
        var parquet = _files.Path("bars.parquet");
        using (var c = new DuckDBConnection("Data Source=:memory:"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                COPY (SELECT * FROM (VALUES ('AAA', DATE '2024-01-02', 10.0, 11.0, 9.0, 10.5, 100.0), ('AAA', DATE '2024-01-03', 10.5, 11.5, 10.0, 11.0, 90.0))
                      t(symbol, date, open, high, low, close, volume)) TO '{parquet}' (FORMAT parquet)
                """;
            cmd.ExecuteNonQuery();
        }

        var arrow = _files.Path("bars.arrow");
        var schema = new Schema.Builder()
            .Field(f => f.Name("symbol").DataType(StringType.Default))
            .Field(f => f.Name("timestamp").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("open").DataType(DoubleType.Default))
            .Field(f => f.Name("high").DataType(DoubleType.Default))
            .Field(f => f.Name("low").DataType(DoubleType.Default))
            .Field(f => f.Name("close").DataType(DoubleType.Default))
            .Field(f => f.Name("volume").DataType(Int64Type.Default))
            .Build();
        var ts = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"))
            .Append(new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero)).Build();
        using (var batch = new RecordBatch(schema,
            [
                new StringArray.Builder().Append("AAA").Build(), ts,
                new DoubleArray.Builder().Append(11).Build(), new DoubleArray.Builder().Append(12).Build(),
                new DoubleArray.Builder().Append(10).Build(), new DoubleArray.Builder().Append(11.5).Build(),
                new Int64Array.Builder().Append(80).Build(),
            ], 1))
        using (var stream = File.Create(arrow))
        using (var writer = new ArrowFileWriter(stream, schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        using var store = MarketStore.Open(_files.Path("m.duckdb"));
        var options = new BarIngestOptions { AddUnknownSymbols = true };
        Assert.Equal(2, store.IngestFile(parquet, options).RowsStored);
        var fromArrow = store.IngestFile(arrow, options);
        Assert.Equal(1, fromArrow.RowsStored);
        Assert.Equal(ContentHash.Sha256OfFile(arrow), fromArrow.ContentSha256);
        var panel = store.LoadPanel(new PanelRequest { From = new(2024, 1, 2), To = new(2024, 1, 4), Fields = ["close", "volume"] });
        Assert.Equal([10.5f, 11f, 11.5f], panel.Field("close"));
        Assert.Equal([100f, 90f, 80f], panel.Field("volume"));
    }

    public void Dispose() => _files.Dispose();
}
