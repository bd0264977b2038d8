using System.Text.Json;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>--json output of ingest, features and calendar, and ingest's plain progress lines when redirected.</summary>
public sealed class MachineOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-json-").FullName;

    private string Bars()
    {
        var path = Path.Combine(_dir, "bars.csv");
        File.WriteAllText(path, """
            symbol,date,open,high,low,close,volume
            AAA,2024-01-02,10,11,9.5,10.5,1000
            AAA,2024-01-03,10.5,11,10,10.8,1200
            AAA,2024-01-04,10.8,11.2,10.6,11,900
            AAA,2024-01-05,11,11.5,10.9,11.4,1100
            BBB,2024-01-02,20,20.5,19.5,20,500
            BBB,2024-01-03,20,20.2,19,19.5,700
            BBB,2024-01-04,19.5,20,19.2,19.8,650
            BBB,2024-01-05,19.8,20.4,19.7,20.2,800

            """);
        return path;
    }

    [Fact]
    public void Ingest_prints_batches_as_json_and_progress_lines_otherwise()
    {
        var bars = Bars();
        var store = Path.Combine(_dir, "market.duckdb");
        var (exit, output, error) = QpProcess.Run("ingest", bars, "--store", store, "--add-symbols", "--json");
        Assert.True(exit == 0, output + error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(store, json.RootElement.GetProperty("store").GetString());
            var batch = Assert.Single(json.RootElement.GetProperty("batches").EnumerateArray().ToList());
            Assert.Equal(bars, batch.GetProperty("file").GetString());
            Assert.Equal(8, batch.GetProperty("rows_read").GetInt64());
            Assert.Equal(8, batch.GetProperty("rows_stored").GetInt64());
            Assert.Equal(0, batch.GetProperty("rows_quarantined").GetInt64());
            Assert.Equal(64, batch.GetProperty("sha256").GetString()!.Length);
        }

        Assert.DoesNotContain("[ingest]", error);

        (exit, output, error) = QpProcess.Run("ingest", bars, "--store", Path.Combine(_dir, "second.duckdb"), "--add-symbols");
        Assert.True(exit == 0, output + error);
        Assert.Contains("bars.csv: read 8, stored 8, quarantined 0", output);
        var length = new FileInfo(bars).Length;
        Assert.Contains($"[ingest] 0/{length:N0} (0%) - 1 file(s)", error);
        Assert.Matches($@"\[ingest\] {length:N0}/{length:N0} \(100%\), done in \d+:\d\d - bars.csv: 8 rows stored", error);
    }

    [Fact]
    public void Features_prints_its_summary_as_json()
    {
        var output = Path.Combine(_dir, "f.csv");
        var (exit, stdout, stderr) = QpProcess.Run("features", "--input", Bars(), "--expr", "MA2=Mean($close, 2)", "--expr", "R1=$close/Ref($close, 1)", "--out", output, "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(output, json.RootElement.GetProperty("output").GetString());
        Assert.Equal(["MA2", "R1"], json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(8, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("symbols").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("bars").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("lookback").GetInt32());
        // AAA's MA2 on 2024-01-03: (10.5 + 10.8) / 2
        Assert.Contains("AAA,2024-01-03,10.65,", File.ReadAllText(output));
    }

    [Fact]
    public void Calendar_prints_sessions_as_json()
    {
        var (exit, stdout, stderr) = QpProcess.Run("calendar", "sessions", "--from", "2024-01-01", "--to", "2024-01-10", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("XNYS", json.RootElement.GetProperty("exchange").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("count").GetInt32());
        // New Year's Day is a holiday; the weekend of the 6th and 7th has no sessions.
        Assert.Equal(
            ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10"],
            json.RootElement.GetProperty("dates").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void Generate_prints_what_it_wrote_as_json()
    {
        var path = Path.Combine(_dir, "gen.csv");
        var (exit, stdout, stderr) = QpProcess.Run("generate", "--symbols", "3", "--from", "2024-01-02", "--to", "2024-01-10", "--out", path, "--json");
        Assert.True(exit == 0, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(path, json.RootElement.GetProperty("output").GetString());
        var bars = json.RootElement.GetProperty("bars").GetInt64();
        Assert.Equal(File.ReadLines(path).Count() - 1, bars); // one CSV row per bar under the header
        Assert.InRange(bars, 1, 3 * 7); // at most 3 symbols × the 7 XNYS sessions of 2024-01-02..10
        Assert.True(File.Exists(json.RootElement.GetProperty("listings_file").GetString()));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
