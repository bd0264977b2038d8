
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
