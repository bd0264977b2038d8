using System.Diagnostics;
using System.Text;
using DuckDB.NET.Data;
using QuantPipeline.Core.Data;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// A corpus of bad (and awkward but valid) bar files, each ingested with the real qp into a store that already holds
/// a batch: the expected exit code and message fragment, no stack trace, and for a rejected file a store exactly as
/// it was (every table's rows compared, not just counts).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IngestCorpusTests : IDisposable
{
    private const string Header = "symbol,date,open,high,low,close,volume";
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-ingest-corpus-").FullName;

    /// <summary>Name, file content (null: built by <see cref="Build"/>), extra arguments, exit code, fragments of standard error.</summary>
    public static TheoryData<string, string[], int, string[]> Cases => new()
    {
        { "empty.csv", [], 2, ["is empty (0 bytes)"] },
        { "header_only.csv", [], 2, ["column names but no bars (a header line only)"] },
        { "na_cell.csv", [], 2, ["(line 2): row 1, symbol AAA, 2024-01-08: [missing-value] no value for open"] },
        { "null_cell.csv", [], 2, ["(line 2): row 1, symbol AAA, 2024-01-08: [missing-value] no value for high"] },
        { "empty_cell.csv", [], 2, ["(line 3): row 2, symbol AAA, 2024-01-09: [missing-value] no value for low"] },
        { "null_symbol.csv", [], 2, ["(line 2): row 1, 2024-01-08: [missing-value] no value for symbol"] },
        { "semicolon_decimal_comma.csv", [], 2, ["open='10,5'", "hint: numbers such as '10,5' use a decimal comma: ingest with --decimal ','"] },
        { "extra_cell.csv", [], 2, ["extra_cell.csv, line 2: the row has 8 cells but the header has 7 columns", "Nothing was stored"] },
        { "missing_cell.csv", [], 2, ["missing_cell.csv, line 3: the row has 6 cells but the header has 7 columns"] },
        { "duplicate_column.csv", [], 2, ["line 1: columns 6 ('close') and 7 ('close') have the same name"] },
        { "differently_cased_columns.csv", [], 2, ["line 1: columns 6 ('Close') and 7 ('close') have the same name (names are matched without case)"] },
        { "ambiguous_dates.csv", [], 2, ["date='01/02/2024'", "hint: dates such as 01/02/2024 are ambiguous (2 January or 1 February): write them as ISO yyyy-MM-dd"] },
        { "latin1.csv", [], 2, ["latin1.csv, line 2: the file is not UTF-8 text", "iconv -f WINDOWS-1252 -t UTF-8"] },
        { "random.parquet", [], 2, ["random.parquet: not a readable Parquet file (No magic bytes found", "It may be truncated"] },
        { "truncated.parquet", [], 2, ["truncated.parquet: not a readable Parquet file", "export it again"] },
        { "csv_named.parquet", [], 2, ["csv_named.parquet: not a readable Parquet file"] },
        { "string_close.parquet", [], 2, ["[malformed-value] not a valid number or time: close='ten'"] },
        { "integer_date.parquet", [], 2, ["[malformed-value] not a valid number or time: date='20240108'"] },
        { "random.arrow", [], 2, ["random.arrow: not a readable Arrow IPC file"] },
        { "truncated.arrow", [], 2, ["truncated.arrow: not a readable Arrow IPC file", "It may be truncated"] },
        { "parquet_named.arrow", [], 2, ["parquet_named.arrow: not a readable Arrow IPC file"] },
        { "a_directory.csv", [], 2, ["a_directory.csv' is a directory, not a file", "Name the files in it"] },
        { "missing.csv", [], 2, ["missing.csv' does not exist"] },
        { "not_a_session.csv", [], 2, ["symbol AAA, 2024-01-13: [outside-session] not within a XNYS session"] },
        { "past_the_calendar.csv", [], 2, ["symbol AAA, 2100-01-04: [outside-session] not within a XNYS session"] },
    };

    /// <summary>Files that look odd but are valid: they are stored, and what is stored is checked.</summary>
    public static TheoryData<string, string[], double> Accepted => new()
    {
        { "bom.csv", [], 10.5 },
        { "crlf.csv", [], 10.5 },
        { "quoted_comma.csv", [], 10.5 },
        { "semicolon_decimal_comma.csv", ["--delimiter", ";", "--decimal", ","], 10.25 },
        { "tab_separated.csv", [], 10.5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_file_is_refused_with_its_message_and_exit_code_and_leaves_the_store_as_it_was(string name, string[] args, int exitCode, string[] fragments)
    {
        var store = SeededStore();
        var before = Fingerprint(store);
        var path = Build(name);
        var (exit, output, error) = QpProcess.Run(["ingest", path, "--store", store, "--add-symbols", .. args]);
        Assert.True(exit == exitCode, $"exit {exit}\n{output}\n{error}");
        Assert.StartsWith("error: ", error.Split('\n').First(l => !l.StartsWith("[ingest]", StringComparison.Ordinal)));
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error);
        }

        AssertNoStackTrace(output + error);
        Assert.Equal(before, Fingerprint(store));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public void An_awkward_but_valid_file_is_stored_with_its_values(string name, string[] args, double close)
    {
        var store = SeededStore();
        var path = Build(name);
        var (exit, output, error) = QpProcess.Run(["ingest", path, "--store", store, "--add-symbols", .. args]);
        Assert.True(exit == 0, output + error);
        Assert.Contains($"{name}: read 1, stored 1, quarantined 0", output);
        Assert.Equal(close, (double)Query(store, "SELECT close FROM daily_bars WHERE symbol = 'AAA' AND date = DATE '2024-01-08'")!);
    }

    [Theory]
    [InlineData("UTC", "2024-01-08 14:31:00")]
    [InlineData("exchange", "2024-01-08 19:31:00")]
    public void Minute_timestamps_without_a_zone_are_read_in_the_timezone_option_UTC_by_default(string zone, string storedUtc)
    {
        var store = Path.Combine(_dir, "minute.duckdb");
        var path = Path.Combine(_dir, "minute_no_zone.csv");
        File.WriteAllText(path, "symbol,timestamp,open,high,low,close,volume\nAAA,2024-01-08 14:31:00,10,11,9,10.5,100\n");
        string[] args = zone == "UTC" ? [] : ["--timezone", zone];
        var (exit, output, error) = QpProcess.Run(["ingest", path, "--store", store, "--add-symbols", "--frequency", "1min", .. args]);
        Assert.True(exit == 0, output + error);
        // 14:31 in New York in January is 19:31 UTC (EST, UTC-5); both are inside the 09:30-16:00 session.
        Assert.Equal(storedUtc, ((DateTime)Query(store, "SELECT ts FROM intraday_bars")!).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_close_only_long_file_is_stored_with_the_other_fields_missing_and_the_skipped_rules_counted()
    {
        var store = SeededStore();
        var path = Path.Combine(_dir, "dow_close.csv");
        File.WriteAllText(path, "symbol,date,close\nAAA,2024-01-08,10.5\nBBB,2024-01-08,20\nBBB,2024-01-09,21\n");
        var (exit, output, error) = QpProcess.Run("ingest", path, "--store", store, "--add-symbols");
        Assert.True(exit == 0, output + error);
        Assert.Contains("dow_close.csv: read 3, stored 3, quarantined 0", output);
        Assert.Contains("skipped rule high-below-low on 3 row(s): the file has no high, low (stored as missing)", output);
        Assert.Contains("skipped rule open-close-outside-range on 3 row(s): the file has no open, high, low", output);
        Assert.Contains("skipped rule negative-volume on 3 row(s): the file has no volume", output);
        Assert.Equal(3L, Query(store, "SELECT count(*) FROM daily_bars WHERE batch_seq = 2 AND open IS NULL AND high IS NULL AND low IS NULL AND volume IS NULL"));
        Assert.Equal(21.0, Query(store, "SELECT close FROM daily_bars WHERE symbol = 'BBB' AND date = DATE '2024-01-09'"));

        // A close-plus-volume file still checks the volume it has.
        var withVolume = Path.Combine(_dir, "close_volume.csv");
        File.WriteAllText(withVolume, "symbol,date,close,volume\nAAA,2024-01-09,10.5,-5\n");
        (exit, _, error) = QpProcess.Run("ingest", withVolume, "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("symbol AAA, 2024-01-09: [negative-volume] volume -5.0 is negative", error);

        var noClose = Path.Combine(_dir, "no_close.csv");
        File.WriteAllText(noClose, "symbol,date,open\nAAA,2024-01-10,10.5\n");
        (exit, _, error) = QpProcess.Run("ingest", noClose, "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("required column(s) close not found", error);
        Assert.Contains("open, high, low, volume and vwap are optional", error);
    }

    [Fact]
    public void A_store_file_that_is_not_a_DuckDB_database_is_refused_and_left_untouched()
    {
        var store = Path.Combine(_dir, "notes.duckdb");
        File.WriteAllText(store, "not a database\n");
        var (exit, output, error) = QpProcess.Run("ingest", Build("bom.csv"), "--store", store, "--add-symbols");
        Assert.Equal(2, exit);
        Assert.Contains("could not be opened as a DuckDB database", error);
        Assert.Contains("left as it was", error);
        AssertNoStackTrace(output + error);
        Assert.Equal("not a database\n", File.ReadAllText(store));
    }

    [Fact]
    public void An_unreadable_file_is_named_with_permission_denied()
    {
        // Root reads any file, so when the tests run as root qp runs without the capabilities that override file modes
        // (the rest of the checkout stays reachable: a clone in a private folder is still root's own).
        var path = Build("bom.csv");
        File.SetUnixFileMode(path, UnixFileMode.None);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var store = Path.Combine(_dir, "unreadable.duckdb");
        var (exit, output, error) = Environment.UserName == "root"
            ? RunWithoutFileOverride("ingest", path, "--store", store, "--add-symbols")
            : QpProcess.Run("ingest", path, "--store", store, "--add-symbols");
        Assert.True(exit == 2, output + error);
        Assert.Contains("bom.csv' cannot be read: permission denied", error);
        AssertNoStackTrace(output + error);
    }

    [Fact]
    public void With_several_files_each_is_its_own_batch_and_the_summary_names_the_failed_one()
    {
        var store = SeededStore();
        var good1 = Build("bom.csv");
        var bad = Build("extra_cell.csv");
        var good2 = Path.Combine(_dir, "bbb.csv");
        File.WriteAllText(good2, $"{Header}\nBBB,2024-01-08,5,6,4,5.5,10\n");
        var (exit, output, error) = QpProcess.Run("ingest", good1, bad, good2, "--store", store, "--add-symbols");
        Assert.Equal(2, exit);
        Assert.Contains("bom.csv: read 1, stored 1", output);
        Assert.Contains("bbb.csv: read 1, stored 1", output);
        Assert.Contains("error: 1 of 3 files failed and stored nothing: extra_cell.csv; 2 stored, each as its own batch (bom.csv, bbb.csv)", error);
        Assert.Equal(3L, Query(store, "SELECT count(*) FROM ingest_batches"));
        Assert.Equal(6L, Query(store, "SELECT count(*) FROM daily_bars"));
    }

    [Fact]
    public void A_full_disk_leaves_the_store_as_it_was_and_a_later_ingest_works()
    {
        var mount = Path.Combine(_dir, "small");
        Directory.CreateDirectory(mount);
        var (mounted, why) = Mount(mount, "6m");
        if (!mounted)
        {
            // Mounting needs root (or CAP_SYS_ADMIN); without it the case cannot be staged, and the failure says why.
            Assert.Fail($"cannot stage a full disk: mount -t tmpfs failed ({why}); run the tests as root to cover this case.");
        }

        try
        {
            var store = Path.Combine(mount, "market.duckdb");
            var (exit, output, error) = QpProcess.Run("ingest", SeedFile(), "--store", store, "--add-symbols");
            Assert.True(exit == 0, output + error);
            var before = Fingerprint(store);
            var filler = Path.Combine(mount, "filler.bin");
            File.WriteAllBytes(filler, new byte[2 << 20]);
            // About 40 MB of bars: far more than the 6 MB the folder holds.
            var big = Path.Combine(_dir, "big.csv");
            var text = new StringBuilder("symbol,date,open,high,low,close,volume\n");
            var random = new Random(18);
            var sessions = QuantPipeline.Core.Calendars.XnysCalendar.Instance.Sessions(new DateOnly(2000, 1, 3), new DateOnly(2023, 12, 29));
            for (var s = 0; s < 120; s++)
            {
                foreach (var d in sessions)
                {
                    // Random prices, so that DuckDB's compression cannot make the batch fit.
                    var close = 10 + random.NextDouble();
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"S{s},{d:yyyy-MM-dd},{close - 0.1:R},{close + 0.5:R},{close - 0.5:R},{close:R},{random.Next(1, 1_000_000)}\n");
                }
            }

            File.WriteAllText(big, text.ToString());
            (exit, output, error) = QpProcess.Run("ingest", big, "--store", store, "--add-symbols");
            Assert.True(exit != 0, output + error);
            Assert.StartsWith("error: ", error.Split('\n').First(l => !l.StartsWith("[ingest]", StringComparison.Ordinal)));
            Assert.Contains("space", error);
            AssertNoStackTrace(output + error);
            Assert.Equal(before, Fingerprint(store));

            // The failed batch left the disk full (DuckDB keeps the blocks it grew into); free space as the message says.
            File.Delete(filler);
            var later = Path.Combine(_dir, "later.csv");
            File.WriteAllText(later, $"{Header}\nAAA,2024-01-08,10,11,9,10.5,100\n");
            (exit, output, error) = QpProcess.Run("ingest", later, "--store", store);
            Assert.True(exit == 0, output + error);
            Assert.Contains("later.csv: read 1, stored 1", output);
        }
        finally
        {
            Run("umount", mount);
        }
    }

    public void Dispose()
    {
        foreach (var f in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("Unhandled exception", text);
        Assert.DoesNotMatch(@"(?m)^\s+at [A-Z]\w+\.", text);
    }

    private string SeedFile()
    {
        var path = Path.Combine(_dir, "seed.csv");
        File.WriteAllText(path, $"{Header}\nAAA,2024-01-02,10,11,9,10,100\nAAA,2024-01-03,10,11,9,10.2,100\nAAA,2024-01-04,10,11,9,10.1,100\nAAA,2024-01-05,10,11,9,10.3,100\n");
        return path;
    }

    private string SeededStore()
    {
        var store = Path.Combine(_dir, "market.duckdb");
        var (exit, output, error) = QpProcess.Run("ingest", SeedFile(), "--store", store, "--add-symbols");
        Assert.True(exit == 0, output + error);
        return store;
    }

    /// <summary>Every row of every table of the store, in a fixed order: equal fingerprints mean an unchanged store.</summary>
    private static string Fingerprint(string store)
    {
        using var connection = new DuckDBConnection($"Data Source={store};ACCESS_MODE=READ_ONLY");
        connection.Open();
        var text = new StringBuilder();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' ORDER BY table_name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("daily_bars", tables);
        foreach (var table in tables)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\" ORDER BY ALL";
            using var reader = cmd.ExecuteReader();
            text.Append('[').Append(table).Append(']').Append('\n');
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    private static object? Query(string store, string sql)
    {
        using var connection = new DuckDBConnection($"Data Source={store};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    /// <summary>Writes the named corpus file into the test folder and returns its path.</summary>
    private string Build(string name)
    {
        var path = Path.Combine(_dir, name);
        const string Row = "AAA,2024-01-08,10,11,9,10.5,100";
        void Text(string content) => File.WriteAllText(path, content);
        void Bytes(byte[] content) => File.WriteAllBytes(path, content);
        switch (name)
        {
            case "empty.csv": Text(string.Empty); break;
            case "header_only.csv": Text(Header + "\n"); break;
            case "bom.csv": Bytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{Header}\n{Row}\n")]); break;
            case "crlf.csv": Text($"{Header}\r\n{Row}\r\n"); break;
            case "quoted_comma.csv": Text("symbol,name,date,open,high,low,close,volume\nAAA,\"Acme, Inc.\",2024-01-08,10,11,9,10.5,100\n"); break;
            case "tab_separated.csv": Text($"{Header.Replace(',', '\t')}\n{Row.Replace(',', '\t')}\n"); break;
            case "na_cell.csv": Text($"{Header}\nAAA,2024-01-08,NA,11,9,10.5,100\n"); break;
            case "null_cell.csv": Text($"{Header}\nAAA,2024-01-08,10,null,9,10.5,100\n"); break;
            case "empty_cell.csv": Text($"{Header}\n{Row}\nAAA,2024-01-09,10,11,,10.5,100\n"); break;
            case "null_symbol.csv": Text($"{Header}\n,2024-01-08,10,11,9,10.5,100\n"); break;
            case "semicolon_decimal_comma.csv": Text("symbol;date;open;high;low;close;volume\nAAA;2024-01-08;10,5;11,0;9,5;10,25;100\n"); break;
            case "extra_cell.csv": Text($"{Header}\n{Row},7\nAAA,2024-01-09,10,11,9,10.5,100\n"); break;
            case "missing_cell.csv": Text($"{Header}\n{Row}\nAAA,2024-01-09,10,11,9,10.5\n"); break;
            case "duplicate_column.csv": Text("symbol,date,open,high,low,close,close,volume\nAAA,2024-01-08,10,11,9,10.5,10.5,100\n"); break;
            case "differently_cased_columns.csv": Text("symbol,date,open,high,low,Close,close,volume\nAAA,2024-01-08,10,11,9,10.5,10.5,100\n"); break;
            case "ambiguous_dates.csv": Text($"{Header}\nAAA,01/02/2024,10,11,9,10.5,100\n"); break;
            case "latin1.csv": Bytes(Encoding.Latin1.GetBytes($"{Header}\nSOCIÉTÉ,2024-01-08,10,11,9,10.5,100\n")); break;
            case "not_a_session.csv": Text($"{Header}\nAAA,2024-01-13,10,11,9,10.5,100\n"); break;
            case "past_the_calendar.csv": Text($"{Header}\nAAA,2100-01-04,10,11,9,10.5,100\n"); break;
            case "random.parquet": Bytes(Random(300)); break;
            case "random.arrow": Bytes(Random(200)); break;
            case "csv_named.parquet": Text($"{Header}\n{Row}\n"); break;
            case "truncated.parquet":
            {
                var whole = Path.Combine(_dir, "whole.parquet");
                BarFileWriter.Write(Bars(), whole, BarFrequency.Daily);
                var bytes = File.ReadAllBytes(whole);
                Bytes(bytes[..(bytes.Length / 2)]);
                break;
            }

            case "truncated.arrow":
            {
                var whole = Path.Combine(_dir, "whole.arrow");
                BarFileWriter.Write(Bars(), whole, BarFrequency.Daily);
                var bytes = File.ReadAllBytes(whole);
                Bytes(bytes[..(bytes.Length / 2)]);
                break;
            }

            case "parquet_named.arrow":
            {
                var whole = Path.Combine(_dir, "real.parquet");
                BarFileWriter.Write(Bars(), whole, BarFrequency.Daily);
                File.Copy(whole, path, overwrite: true);
                break;
            }

            case "string_close.parquet":
                Copy(path, "SELECT 'AAA' AS symbol, DATE '2024-01-08' AS date, 10.0 AS open, 11.0 AS high, 9.0 AS low, 'ten' AS close, 100 AS volume");
                break;
            case "integer_date.parquet":
                Copy(path, "SELECT 'AAA' AS symbol, 20240108 AS date, 10.0 AS open, 11.0 AS high, 9.0 AS low, 10.5 AS close, 100 AS volume");
                break;
            case "a_directory.csv": Directory.CreateDirectory(path); break;
            case "missing.csv": break;
            default: throw new ArgumentException($"no corpus file {name}", nameof(name));
        }

        return path;
    }

    private static IEnumerable<Bar> Bars() =>
        Enumerable.Range(0, 400).Select(i => new Bar("S" + (i % 20), new DateTime(2024, 1, 8).AddDays(i / 20 * 7), 10, 11, 9, 10.5, 100));

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(18).NextBytes(bytes);
        return bytes;
    }

    private static void Copy(string path, string select)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"COPY ({select}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }

    private static (bool Ok, string Why) Mount(string folder, string size)
    {
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
        return (exit == 0, output.Trim());
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(info)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static (int Exit, string Out, string Err) RunWithoutFileOverride(params string[] args)
    {
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        const string caps = "-dac_override,-dac_read_search";
        foreach (var a in new[] { "--inh-caps=" + caps, "--bounding-set=" + caps, "dotnet", Path.Combine(AppContext.BaseDirectory, "qp.dll") }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
