using System.Globalization;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary><c>qp features</c> as a user runs it, on a bars CSV and on a market store.</summary>
public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-features-").FullName;

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    [Fact]
    public void Expressions_on_a_bars_file_write_one_row_per_bar_with_empty_cells_for_missing_values()
    {
        var input = Path.Combine(_dir, "bars.csv");
        File.WriteAllText(input, """
            SYMBOL,Date,Open,High,Low,Close,Volume
            BBB,2024-01-02,20,21,19,20,100
            AAA,2024-01-02,10,11,9,10,1000
            AAA,2024-01-03,10,12,10,11,1200
            AAA,2024-01-04,11,11.5,10,10.5,900
            BBB,2024-01-03,20,22,20,22,150

            """);
        var output = Path.Combine(_dir, "out.csv");
        var (exit, stdout, stderr) = Qp(
            "features", "--input", input, "--backend", "managed", "--out", output,
            "--expr", "MA2=Mean($close, 2)", "--expr", "UP=$close > Ref($close, 1)", "--expr", "DIFF=$close-Ref($close,1)", "--expr", "RANK=CsRank($close)");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("4 feature(s) × 5 row(s)", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal("symbol,date,MA2,UP,DIFF,RANK", lines[0]);
        Assert.Equal("AAA,2024-01-02,10,0,,0.5", lines[1]);
        Assert.Equal("AAA,2024-01-03,10.5,1,1,0.5", lines[2]);
        Assert.Equal("AAA,2024-01-04,10.75,0,-0.5,1", lines[3]);
        Assert.Equal("BBB,2024-01-02,20,0,,1", lines[4]);
        Assert.Equal("BBB,2024-01-03,21,1,2,1", lines[5]);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void A_one_symbol_file_without_a_symbol_column_is_named_by_symbol_or_by_its_file_name()
    {
        var input = Path.Combine(_dir, "msft.csv");
        File.WriteAllText(input, "date,close\n2024-01-02,10\n2024-01-03,11\n");
        var output = Path.Combine(_dir, "named.csv");
        var (exit, stdout, stderr) = Qp("features", "--input", input, "--backend", "managed", "--expr", "ROC=$close/Ref($close,1)", "--out", output);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(["symbol,date,ROC", "msft,2024-01-02,", "msft,2024-01-03,1.1"], File.ReadAllLines(output));

        (exit, stdout, stderr) = Qp("features", "--input", input, "--symbol", "MSFT", "--backend", "managed", "--expr", "C=$close", "--out", output);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal(["symbol,date,C", "MSFT,2024-01-02,10", "MSFT,2024-01-03,11"], File.ReadAllLines(output));

        var withSymbols = Path.Combine(_dir, "two.csv");
        File.WriteAllText(withSymbols, "symbol,date,close\nAAA,2024-01-02,10\n");
        (exit, _, stderr) = Qp("features", "--input", withSymbols, "--symbol", "MSFT", "--expr", "C=$close", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("two.csv has a symbol column already", stderr);
    }

    [Fact]
    public void A_typo_in_an_expression_names_the_column_and_the_nearest_function()
    {
        var input = Path.Combine(_dir, "one.csv");
        File.WriteAllText(input, "date,close\n2024-01-02,10\n");
        var (exit, _, stderr) = Qp("features", "--input", input, "--expr", "X=$close / Maen($close, 2)", "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("feature 'X', column 10: unknown function 'Maen'", stderr);
        Assert.Contains("Did you mean 'Mean'?", stderr);
    }

    [Fact]
    public void A_bad_cell_names_the_file_row_and_column()
    {
        var input = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(input, "date,close\n2024-01-02,10\n2024-01-03,ten\n");
        var (exit, _, stderr) = Qp("features", "--input", input, "--expr", "X=$close", "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("bad.csv, row 3, column 'close': 'ten' is not a number", stderr);
    }

    [Fact]
    public void Alpha158_from_the_store_as_of_a_date_reads_nothing_later()
    {
        var storePath = Path.Combine(_dir, "market.duckdb");
        using (var store = MarketStore.Open(storePath))
        {
            store.IngestDailyBars(SyntheticDailyMarket.Generate(new SyntheticMarketOptions { Symbols = 4, From = new(2023, 1, 2), To = new(2023, 6, 30), Seed = 5 }));
        }

        var first = Path.Combine(_dir, "a.csv");
        var (exit, stdout, stderr) = Qp("features", "--store", storePath, "--set", "alpha158", "--as-of", "2023-05-31", "--out", first);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("left out 1 feature(s) whose fields the data does not have: VWAP0 (needs $vwap)", stderr);
        var lines = File.ReadAllLines(first);
        Assert.Equal(5, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains(",2023-05-31,", l));
        Assert.Equal(2 + 157, lines[0].Split(',').Length);

        // Bars after the as-of date exist in the store but cannot change the as-of features.
        using (var store = MarketStore.Open(storePath))
        {
            store.IngestDailyBars(SyntheticDailyMarket.Generate(new SyntheticMarketOptions { Symbols = 4, From = new(2023, 7, 3), To = new(2023, 7, 31), Seed = 6 }));
        }

        var second = Path.Combine(_dir, "b.csv");
        Assert.Equal(0, Qp("features", "--store", storePath, "--set", "alpha158", "--as-of", "2023-05-31", "--out", second).Exit);
        Assert.Equal(lines, File.ReadAllLines(second));
        Assert.False(string.IsNullOrEmpty(lines[1].Split(',')[^1]), "VSUMD60 should have a value after 60+ sessions");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
