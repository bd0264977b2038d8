using System.CommandLine;
using System.Globalization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Progress;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp ingest FILE…</c>: CSV, Parquet or Arrow IPC bars into the market store, one batch per file.</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Bar files: .csv, .parquet or .arrow (Arrow IPC).", Arity = ArgumentArity.OneOrMore };
        var store = new Option<string>("--store") { Description = "Market store file.", DefaultValueFactory = _ => "data/market.duckdb" };
        var frequency = new Option<string>("--frequency") { Description = "1d (daily bars keyed by date) or 1min (minute bars keyed by end time).", DefaultValueFactory = _ => "1d" };
        frequency.AcceptOnlyFromAmong("1d", "1min");
        var calendar = new Option<string>("--calendar") { Description = "Exchange calendar the bars must fall on: XNYS, WEEKDAY or 24/7.", DefaultValueFactory = _ => "XNYS" };
        var policy = new Option<string>("--policy") { Description = "reject: any bad row fails the file; quarantine: bad rows are set aside with their reason.", DefaultValueFactory = _ => "reject" };
        policy.AcceptOnlyFromAmong("reject", "quarantine");
        var map = new Option<string?>("--map") { Description = "Column mapping canonical=source, comma-separated, e.g. timestamp=Datetime,close=Adj Close." };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol of every row, for one-symbol files without a symbol column." };
        var timezone = new Option<string>("--timezone") { Description = "Zone of timestamps without an offset: UTC, exchange, or an IANA id.", DefaultValueFactory = _ => "UTC" };
        var addSymbols = new Option<bool>("--add-symbols") { Description = "Register symbols the store does not know instead of flagging them unknown." };
        var knownAt = new Option<string?>("--known-at") { Description = "When the data became known (UTC, ISO 8601) if the file has no available_at column; default: now." };
        var json = new Option<bool>("--json") { Description = "Print the batches as one JSON document (store, and per file: batch id, rows read, stored and quarantined, sha256) and no progress." };
        var command = new Command(
            "ingest",
            """
            Ingests CSV, Parquet or Arrow IPC bar files into the market store.
            Ingests bar files into the market store. Each file is one batch with an id, row counts and a SHA-256;
            a file that fails validation under --policy reject leaves the store exactly as it was.
            Columns: symbol, timestamp|date, open, high, low, close, volume[, vwap][, available_at].

            Examples:
              qp ingest bars.csv --add-symbols
              qp ingest aapl.parquet --symbol AAPL --frequency 1min --timezone exchange --policy quarantine
              qp ingest data/*.csv --add-symbols --json > batches.json
            """)
        {
            files, store, frequency, calendar, policy, map, symbol, timezone, addSymbols, knownAt, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new BarIngestOptions
                {
                    Frequency = parse.GetValue(frequency) == "1min" ? BarFrequency.Minute : BarFrequency.Daily,
                    Calendar = parse.GetValue(calendar)!,
                    Policy = parse.GetValue(policy) == "quarantine" ? IngestPolicy.Quarantine : IngestPolicy.Reject,
                    ColumnMap = ParseMap(parse.GetValue(map)),
                    Symbol = parse.GetValue(symbol),
                    SourceTimeZone = parse.GetValue(timezone)!,
                    AddUnknownSymbols = parse.GetValue(addSymbols),
                    KnownAt = ParseKnownAt(parse.GetValue(knownAt)),
                };
                var machine = parse.GetValue(json);
                var inputs = parse.GetValue(files)!;
                using var market = MarketStore.Open(parse.GetValue(store)!);
                var results = new List<(FileInfo File, IngestResult Result)>();
                try
                {
                    ConsoleProgress.Run(!machine, progress => Ingest(market, inputs, options, progress, results));
                }
                finally
                {
                    // Printed once the bars are gone: batches already stored are reported even when a later file fails.
                    if (!machine)
                    {
                        foreach (var (file, result) in results)
                        {
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"{result.BatchId}  {file.Name}: read {result.RowsRead}, stored {result.RowsStored}, quarantined {result.RowsQuarantined}, sha256 {result.ContentSha256}"));
                        }
                    }
                }

                if (machine)
                {
                    JsonOutput.Write(new
                    {
                        Store = Path.GetFullPath(parse.GetValue(store)!),
                        Batches = results.Select(r => new { File = r.File.FullName, r.Result.BatchId, r.Result.RowsRead, r.Result.RowsStored, r.Result.RowsQuarantined, Sha256 = r.Result.ContentSha256 }),
                    });
                }

                return 0;
            }
            catch (IngestValidationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException or InvalidDataException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>Ingests the files in order; progress counts bytes, so the ETA holds for files of different sizes.</summary>
    private static int Ingest(MarketStore market, FileInfo[] files, BarIngestOptions options, IProgress<ProgressUpdate> progress, List<(FileInfo File, IngestResult Result)> results)
    {
        var total = files.Sum(f => f.Exists ? f.Length : 0);
        var done = 0L;
        progress.Report(new ProgressUpdate("ingest", 0, total, $"{files.Length} file(s)"));
        foreach (var file in files)
        {
            var result = market.IngestFile(file.FullName, options);
            results.Add((file, result));
            done += file.Length;
            progress.Report(new ProgressUpdate("ingest", done, total, $"{file.Name}: {result.RowsStored:N0} rows stored"));
        }

        return results.Count;
    }

    private static Dictionary<string, string> ParseMap(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return map;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ArgumentException($"--map entry '{pair}' is not canonical=source (e.g. close=Adj Close).");
            }

            map[parts[0].ToLowerInvariant()] = parts[1];
        }

        return map;
    }

    private static DateTime? ParseKnownAt(string? text) =>
        text is null ? null
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new ArgumentException($"--known-at '{text}' is not a time; write ISO 8601, e.g. 2024-01-02T21:00:00Z.");
}
