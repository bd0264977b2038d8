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
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV field separator (',', ';', 'tab' or '|'); detected from the header line when left out." };
        var decimalSeparator = new Option<string>("--decimal") { Description = "CSV decimal separator: '.' or ',' (European exports: --delimiter ';' --decimal ',').", DefaultValueFactory = _ => "." };
        decimalSeparator.AcceptOnlyFromAmong(".", ",");
        var json = new Option<bool>("--json") { Description = "Print the batches as one JSON document (store, and per file: batch id, rows read, stored and quarantined, sha256) and no progress." };
        var command = new Command(
            "ingest",
            """
            Ingests CSV, Parquet or Arrow IPC bar files into the market store.
            Ingests bar files into the market store. Each file is one batch with an id, row counts and a SHA-256;
            a file that fails validation under --policy reject leaves the store exactly as it was.
            Columns: symbol, timestamp|date, close[, open][, high][, low][, volume][, vwap][, available_at]: any field
            but close may be absent (an adjusted-close export, an index level); it is stored as missing, and the
            rules that compare it (high-below-low, open-close-outside-range, negative-volume) are skipped and counted.
            CSV: UTF-8 (a BOM is fine), LF or CRLF, quoted cells may hold the separator; empty, NA, N/A, null, None
            and NaN cells are missing values. Timestamps without an offset are read in --timezone (UTC by default).
            With several files each is its own batch: a bad file is left out whole, the others are stored, and the
            summary names the files that failed. Exit codes: 0 all stored; 2 bad input (a file, option or store
            that is not usable; the message says which and why); 1 other failures (e.g. the disk is full).

            Examples:
              qp ingest bars.csv --add-symbols
              qp ingest aapl.parquet --symbol AAPL --frequency 1min --timezone exchange --policy quarantine
              qp ingest data/*.csv --add-symbols --json > batches.json
              qp ingest export_de.csv --delimiter ';' --decimal ',' --add-symbols
            """)
        {
            files, store, frequency, calendar, policy, map, symbol, timezone, addSymbols, knownAt, delimiter, decimalSeparator, json,
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
                    Delimiter = ParseDelimiter(parse.GetValue(delimiter)),
                    DecimalSeparator = parse.GetValue(decimalSeparator) == "," ? ',' : '.',
                };
                var machine = parse.GetValue(json);
                var inputs = parse.GetValue(files)!;
                using var market = MarketStore.Open(parse.GetValue(store)!);
                var results = new List<(FileInfo File, IngestResult Result)>();
                var failures = new List<(FileInfo File, string Reason, int Exit)>();
                try
                {
                    ConsoleProgress.Run(!machine, progress => Ingest(market, inputs, options, progress, results, failures));
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
                            if (result.QuarantinedByRule.Count > 0)
                            {
                                Console.WriteLine($"  quarantined by rule: {string.Join(", ", result.QuarantinedByRule.Select(r => $"{r.Key} {r.Value}"))} (see them with: qp quarantine list --batch {result.BatchId})");
                            }

                            foreach (var rule in result.SkippedRules)
                            {
                                Console.WriteLine($"  skipped rule {rule.Rule} on {rule.Rows} row(s): the file has no {string.Join(", ", rule.MissingFields)} (stored as missing)");
                            }
                        }
                    }
                }

                foreach (var (_, reason, _) in failures)
                {
                    Console.Error.WriteLine($"error: {reason}");
                }

                if (failures.Count > 0 && inputs.Length > 1)
                {
                    Console.Error.WriteLine(
                        $"error: {failures.Count} of {inputs.Length} files failed and stored nothing: {string.Join(", ", failures.Select(f => f.File.Name))}; " +
                        $"{results.Count} stored, each as its own batch{(results.Count > 0 ? $" ({string.Join(", ", results.Select(r => r.File.Name))})" : string.Empty)}. Fix the failed files and ingest just those again.");
                }

                if (machine)
                {
                    JsonOutput.Write(new
                    {
                        Store = Path.GetFullPath(parse.GetValue(store)!),
                        Batches = results.Select(r => new { File = r.File.FullName, r.Result.BatchId, r.Result.RowsRead, r.Result.RowsStored, r.Result.RowsQuarantined, Sha256 = r.Result.ContentSha256, QuarantinedByRule = r.Result.QuarantinedByRule, SkippedRules = r.Result.SkippedRules.Select(k => new { k.Rule, k.MissingFields, k.Rows }) }),
                        Failed = failures.Select(f => new { File = f.File.FullName, Error = f.Reason }),
                    });
                }

                return failures.Count == 0 ? 0 : failures.Max(f => f.Exit);
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidOperationException or InvalidDataException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine($"error: --store {parse.GetValue(store)}: {e.Message} Give --store a path in a folder this user may write, or fix the folder's permissions.");
                return 2;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"error: --store {parse.GetValue(store)}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Ingests the files in order, each its own batch; a file that fails is recorded with its reason and the rest go on.
    /// Progress counts bytes, so the ETA holds for files of different sizes.
    /// </summary>
    private static int Ingest(MarketStore market, FileInfo[] files, BarIngestOptions options, IProgress<ProgressUpdate> progress, List<(FileInfo File, IngestResult Result)> results, List<(FileInfo File, string Reason, int Exit)> failures)
    {
        var total = files.Sum(f => f.Exists ? f.Length : 0);
        var done = 0L;
        progress.Report(new ProgressUpdate("ingest", 0, total, $"{files.Length} file(s)"));
        foreach (var file in files)
        {
            try
            {
                var result = market.IngestFile(file.FullName, options);
                results.Add((file, result));
                progress.Report(new ProgressUpdate("ingest", done + file.Length, total, $"{file.Name}: {result.RowsStored:N0} rows stored"));
            }
            catch (IngestValidationException e)
            {
                failures.Add((file, e.Message + Hints(e.Message), 2));
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or UnauthorizedAccessException)
            {
                failures.Add((file, e.Message, 2));
            }
            catch (IOException e)
            {
                // Not the file's fault (a full disk, for one): exit 1, as for other failures of the machine.
                failures.Add((file, e.Message, 1));
            }

            done += file.Exists ? file.Length : 0;
        }

        return results.Count;
    }

    /// <summary>What a rejection's listed values suggest: decimal commas, or day/month dates that ISO form makes unambiguous.</summary>
    private static string Hints(string message)
    {
        var hints = new List<string>();
        if (System.Text.RegularExpressions.Regex.IsMatch(message, @"(open|high|low|close|volume|vwap)='-?\d+,\d+'"))
        {
            hints.Add("numbers such as '10,5' use a decimal comma: ingest with --decimal ',' (and --delimiter ';' if fields are separated by semicolons)");
        }

        if (System.Text.RegularExpressions.Regex.IsMatch(message, @"(date|timestamp)='\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"))
        {
            hints.Add("dates such as 01/02/2024 are ambiguous (2 January or 1 February): write them as ISO yyyy-MM-dd (timestamps as yyyy-MM-ddTHH:mm:ss, with an offset or in --timezone)");
        }

        return hints.Count == 0 ? string.Empty : Environment.NewLine + string.Join(Environment.NewLine, hints.Select(h => "  hint: " + h));
    }

    private static char? ParseDelimiter(string? text) => text switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => text[0],
        _ => throw new ArgumentException($"--delimiter '{text}' is not one character; use ',', ';', 'tab' or '|'."),
    };

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
