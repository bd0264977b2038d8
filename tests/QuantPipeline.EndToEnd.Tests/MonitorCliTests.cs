
namespace QuantPipeline.EndToEnd.Tests;

/// <summary>qp monitor's help and its errors, as a user meets them.</summary>
public sealed class MonitorCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-monitor-cli-").FullName;

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    [Fact]
    public void Help_lists_the_options_and_examples()
    {
        var (exit, output, _) = Qp("monitor", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--as-of", "--workdir", "--json", "--webhook", "--retrain", "--policy", "--sessions", "--report", "Examples" })
        {
            Assert.Contains(option, output);
        }
    }

    [Fact]
    public void A_malformed_date_and_an_empty_working_folder_are_explained()
    {
        var (exit, _, error) = Qp("monitor", "--as-of", "29/12/2023", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("'29/12/2023' is not a date in yyyy-MM-dd form", error);

        (exit, _, error) = Qp("monitor", "--as-of", "2023-12-29", "--workdir", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("no approved version of 'qp_mlp_daily'", error); // no qp.yaml in the folder: the defaults apply
        Assert.Contains("qp demo", error);
    }

    [Fact]
    public void Without_as_of_it_monitors_the_last_stored_session_and_says_so()
    {
        var (exit, _, error) = Qp("monitor", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("no market store at", error);
        Assert.Contains("give --as-of", error);

        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        File.WriteAllText(Path.Combine(_dir, "data", "market.duckdb"), "not a database");
        (exit, _, error) = Qp("monitor", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("could not be opened as a DuckDB database", error);
        Assert.DoesNotContain("Unhandled", error);
        File.Delete(Path.Combine(_dir, "data", "market.duckdb"));

        // Bars up to Friday 2024-01-05 on XNYS; the default store path of a folder without qp.yaml is data/market.duckdb.
        var bars = Path.Combine(_dir, "bars.csv");
        File.WriteAllText(bars, "symbol,date,open,high,low,close,volume\nAAA,2024-01-04,10,11,9,10,100\nAAA,2024-01-05,10,11,9,10.5,100\nBBB,2024-01-03,5,5,5,5,10\n");
        var store = Path.Combine(_dir, "data", "market.duckdb");
        (exit, _, error) = Qp("ingest", bars, "--store", store, "--add-symbols");
        Assert.True(exit == 0, error);

        (exit, _, error) = Qp("monitor", "--workdir", _dir);
        Assert.Contains("monitoring as of 2024-01-05, the last session with stored daily bars", error);
        Assert.Equal(1, exit);
        Assert.Contains("no approved version of 'qp_mlp_daily'", error);
    }

    [Fact]
    public void A_bad_line_in_the_sessions_file_is_reported_with_its_line_number()
    {
        var path = Path.Combine(_dir, "sessions.txt");
        File.WriteAllLines(path, ["# XNYS", "2024-01-02", "", "2024-01-03", "2024-13-01"]);
        var e = Assert.Throws<InvalidDataException>(() => QuantPipeline.Cli.Commands.MonitorCommand.ReadSessions(path));
        Assert.Contains("line 5", e.Message);
        Assert.Contains("2024-13-01", e.Message);
        File.WriteAllLines(path, ["# XNYS", "2024-01-02", "", "2024-01-03"]);
        Assert.Equal([new DateOnly(2024, 1, 2), new DateOnly(2024, 1, 3)], QuantPipeline.Cli.Commands.MonitorCommand.ReadSessions(path));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
