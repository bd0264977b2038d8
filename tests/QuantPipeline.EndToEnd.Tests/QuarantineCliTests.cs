using System.Text.Json;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>qp ingest --policy quarantine, qp quarantine list|show, and re-ingesting a corrected row.</summary>
public sealed class QuarantineCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-quarantine-").FullName;

    [Fact]
    public void Quarantined_rows_are_counted_per_rule_listed_with_their_position_and_a_corrected_row_is_stored_on_reingest()
    {
        var store = Path.Combine(_dir, "market.duckdb");
        var bars = Path.Combine(_dir, "bars.csv");
        // Data row 2 has high below low; row 3 is a Saturday; row 4 steps back in time after it.
        File.WriteAllText(bars, "symbol,date,open,high,low,close,volume\nAAA,2024-01-02,10,11,9,10,100\nAAA,2024-01-03,10,9,11,10,100\nAAA,2024-01-06,10,11,9,10,100\nAAA,2024-01-04,10,11,9,10,100\n");
        var (exit, output, error) = QpProcess.Run("ingest", bars, "--store", store, "--add-symbols", "--policy", "quarantine", "--json");
        Assert.True(exit == 0, output + error);
        var batch = JsonDocument.Parse(output).RootElement.GetProperty("batches")[0];
        Assert.Equal(1, batch.GetProperty("rows_stored").GetInt64());
        var byRule = batch.GetProperty("quarantined_by_rule");
        Assert.Equal(1, byRule.GetProperty("high-below-low").GetInt64());
        Assert.Equal(1, byRule.GetProperty("outside-session").GetInt64());
        Assert.Equal(1, byRule.GetProperty("non-monotonic-timestamp").GetInt64());
        var batchId = batch.GetProperty("batch_id").GetString()!;

        (exit, output, error) = QpProcess.Run("quarantine", "list", "--store", store, "--batch", batchId);
        Assert.True(exit == 0, error);
        Assert.Equal(
            [$"{batchId}  bars.csv row 2, symbol AAA: [high-below-low] high 9.0 is below low 11.0",
             $"{batchId}  bars.csv row 3, symbol AAA: [outside-session] not within a XNYS session",
             $"{batchId}  bars.csv row 4, symbol AAA: [non-monotonic-timestamp] time goes backwards: after 2024-01-06 00:00:00 for this symbol in an earlier row"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        (exit, output, _) = QpProcess.Run("quarantine", "show", "--store", store, "--rule", "high-below-low");
        Assert.Equal(0, exit);
        Assert.Contains("'date': 2024-01-03, 'open': 10, 'high': 9, 'low': 11", output);
        Assert.DoesNotContain("outside-session", output);

        // The corrected row (high and low swapped back) goes in as a new batch.
        var fixedRow = Path.Combine(_dir, "fixed.csv");
        File.WriteAllText(fixedRow, "symbol,date,open,high,low,close,volume\nAAA,2024-01-03,10,11,9,10,100\n");
        (exit, output, error) = QpProcess.Run("ingest", fixedRow, "--store", store);
        Assert.True(exit == 0, output + error);
        Assert.Contains("fixed.csv: read 1, stored 1, quarantined 0", output);
        using var market = QuantPipeline.Storage.Market.MarketStore.Open(store, readOnly: true);
        Assert.Equal(2, market.CountDailyBars());
    }

    [Fact]
    public void Listing_a_store_that_does_not_exist_says_so_with_exit_code_2()
    {
        var (exit, _, error) = QpProcess.Run("quarantine", "list", "--store", Path.Combine(_dir, "none.duckdb"));
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
