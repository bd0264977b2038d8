using System.CommandLine;
using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Progress;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// <c>qp features</c>: evaluates expressions or a feature set on a bars CSV file or on the market store and writes
/// one row per bar: <c>symbol, date|timestamp, NAME…</c>, empty cells for missing values.
/// </summary>
public static class FeaturesCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Rows between progress reports while writing CSV.</summary>
    private const int ProgressRows = 50_000;

    public static Command Create()
    {
        var input = new Option<FileInfo?>("--input") { Description = "Bars CSV: [symbol,] date|timestamp, open, high, low, close, volume[, vwap, …]; headers case-insensitive." };
        var symbol = new Option<string?>("--symbol") { Description = "With --input: the symbol of every row of a file without a symbol column; default: the file name without its extension (aapl.csv → aapl)." };
        var expr = new Option<string[]>("--expr") { Description = "NAME=EXPRESSION, repeatable, e.g. --expr 'MA5=Mean($close, 5)/$close'.", AllowMultipleArgumentsPerToken = false };
        var set = new Option<string?>("--set") { Description = "A built-in set (alpha158, alpha360, f8) or a feature-set YAML file." };
        var store = new Option<FileInfo?>("--store") { Description = "Market store (DuckDB file) to read when no --input is given; prices and volumes are adjusted for corporate actions as of --as-of." };
        var asOf = new Option<string?>("--as-of") { Description = "With --store: the last date (yyyy-MM-dd); nothing after it is read." };
        var from = new Option<string?>("--from") { Description = "With --store: first date to write (default: the as-of date only)." };
        var universe = new Option<string?>("--universe") { Description = "With --store: restrict to a universe (needs universe membership in the store)." };
        var output = new Option<FileInfo>("--out") { Description = "Output file: .csv or .arrow (Arrow IPC).", Required = true };
        var backend = new Option<string>("--backend") { Description = "Compute backend: auto | managed | native | gpu.", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "Print the summary (output file, features, rows, symbols, bars, lookback, backend, set version) as JSON, and no progress." };
        var shardRows = new Option<int?>("--shard-rows") { Description = "Compute in time shards of this many bars (each reads the features' lookback before it); with --cluster, shards run on the silos. Default with --cluster: 250." };
        var cluster = new ClusterOptions();
        var command = new Command(
            "features",
            """
            Computes features from expressions or a feature set into CSV or Arrow.
            Computes features with the expression language (Qlib's syntax: $fields, + - * / comparisons && || !,
            Ref, Mean, Std, Corr, Rank, CsRank, … — windows use min_periods = 1, Std ddof = 1, IdxMax 1-based).
            Missing values are written as empty cells.

            Examples:
              qp features --input bars.csv --expr 'MA5=Mean($close, 5)/$close' --expr 'ROC10=Ref($close, 10)/$close' --out f.csv
              qp features --input bars.csv --set alpha158 --out alpha158.csv
              qp features --input aapl.csv --symbol AAPL --set alpha158 --out aapl_f.csv
              qp features --store data/market.duckdb --set alpha158 --as-of 2023-12-29 --out today.arrow
              qp features --input bars.csv --set f8 --out f8.arrow --json
              qp features --input bars.csv --set alpha158 --out f.arrow --cluster research --membership postgresql://qp@db/qp --shared /mnt/qp
            """)
        {
            input, symbol, expr, set, store, asOf, from, universe, output, backend, json, shardRows,
        };
        cluster.AddTo(command);
        command.SetAction(parse => Run(
            parse.GetValue(input),
            parse.GetValue(expr) ?? [],
            parse.GetValue(set),
            parse.GetValue(store),
            parse.GetValue(asOf),
            parse.GetValue(from),
            parse.GetValue(universe),
            parse.GetValue(output)!,
            parse.GetValue(backend)!,
            parse.GetValue(json),
            parse.GetValue(shardRows),
            cluster.Read(parse),
            parse.GetValue(symbol)));
        return command;
    }

    public static int Run(
        FileInfo? input, string[] expressions, string? setName, FileInfo? store, string? asOf, string? from, string? universe, FileInfo output, string backendName, bool json = false, int? shardRows = null, ClusterRun? cluster = null, string? symbol = null)
    {
        try
        {
            var definitions = new List<FeatureDefinition>();
            var version = (string?)null;
            if (setName is not null)
            {
                var featureSet = FeatureLibrary.Get(setName);
                definitions.AddRange(featureSet.Features);
                version = featureSet.Version;
            }

            foreach (var e in expressions)
            {
                var eq = e.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || e.AsSpan(eq + 1).TrimStart().StartsWith("="))
                {
                    throw new UsageException($"--expr '{e}' must be NAME=EXPRESSION, e.g. --expr 'MA5=Mean($close, 5)/$close'.");
                }

                definitions.Add(new FeatureDefinition(e[..eq].Trim(), e[(eq + 1)..].Trim()));
            }

            if (definitions.Count == 0)
            {
                throw new UsageException("Nothing to compute: give --set and/or one or more --expr NAME=EXPRESSION.");
            }

            var extension = output.Extension.ToLowerInvariant();
            if (extension is not (".csv" or ".arrow"))
            {
                throw new UsageException($"--out '{output.Name}': write .csv or .arrow (Arrow IPC); {extension} is not supported.");
            }

            Bars bars;
            if (input is not null)
            {
                bars = ReadCsv(input, symbol);
            }
            else if (store is not null)
            {
                bars = ReadStore(store, asOf, from, universe, CompileProbe(definitions).Lookback);
            }
            else
            {
                throw new UsageException("Give --input FILE.csv, or --store FILE.duckdb with --as-of DATE.");
            }

            definitions = DropFeaturesWithoutData(definitions, bars);
            var compiled = FeatureCompiler.Compile(definitions);
            var engine = ComputeBackends.Create(backendName);
            var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var names = definitions.Select(d => d.Name).ToList();
            ConsoleProgress.Run(!json, progress =>
            {
                progress.Report(new ProgressUpdate("features", 0, names.Count, $"{bars.Symbols.Count} symbols x {bars.Times.Count} bars on {engine.Name}"));
                if (cluster is not null || shardRows is not null)
                {
                    var stitched = ShardedFeatures.Evaluate(cluster, shardRows, definitions, bars.Fields, bars.Times, bars.Symbols, backendName, progress, names.Count);

                    // Each feature counts as done in the order a single pass finishes them, so the progress ends as it does here.
                    foreach (var o in compiled.Outputs.OrderBy(o => o.NodeId))
                    {
                        values[o.Name] = stitched[o.Name];
                        progress.Report(new ProgressUpdate("features", values.Count, names.Count, o.Name));
                    }
                }
                else
                {
                    FeatureEvaluator.Evaluate(compiled, bars.Fields, bars.Times.Count, bars.Symbols.Count, engine, (o, v) =>
                    {
                        values[o.Name] = v.ToArray();
                        progress.Report(new ProgressUpdate("features", values.Count, names.Count, o.Name));
                    });
                }
                if (extension == ".csv")
                {
                    WriteCsv(output, bars, names, values, progress);
                }
                else
                {
                    WriteArrow(output, bars, names, values);
                }

                return 0;
            });

            if (json)
            {
                JsonOutput.Write(new
                {
                    Output = output.FullName,
                    Features = names,
                    Rows = bars.RowsToWrite.Count,
                    Symbols = bars.Symbols.Count,
                    Bars = bars.Times.Count,
                    Lookback = compiled.Lookback,
                    GraphNodes = compiled.Nodes.Count,
                    Backend = engine.Name,
                    SetVersion = version,
                });
                return 0;
            }

            Console.WriteLine(
                $"{names.Count} feature(s) × {bars.RowsToWrite.Count} row(s) → {output.FullName} " +
                $"({bars.Symbols.Count} symbols, {bars.Times.Count} bars, lookback {compiled.Lookback} bars, {compiled.Nodes.Count} graph nodes, {engine.Name} backend" +
                (version is null ? ")" : $", set version {version})"));
            return 0;
        }
        catch (ExpressionSyntaxException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is UsageException or FormatException or FileNotFoundException or KeyNotFoundException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static CompiledFeatureSet CompileProbe(List<FeatureDefinition> definitions) => FeatureCompiler.Compile(definitions);

    /// <summary>Features whose inputs the data lacks are left out with a note (the store has no vwap, for one).</summary>
    private static List<FeatureDefinition> DropFeaturesWithoutData(List<FeatureDefinition> definitions, Bars bars)
    {
        var kept = new List<FeatureDefinition>();
        var dropped = new List<string>();
        foreach (var d in definitions)
        {
            var fields = FeatureCompiler.Compile([d]).Fields;
            var missing = fields.Where(f => !bars.Fields.ContainsKey(f)).ToList();
            if (missing.Count == 0)
            {
                kept.Add(d);
            }
            else
            {
                dropped.Add($"{d.Name} (needs {string.Join(", ", missing.Select(m => "$" + m))})");
            }
        }

        if (kept.Count == 0)
        {
            throw new UsageException($"No feature can be computed from the data's fields ({string.Join(", ", bars.Fields.Keys.Select(k => "$" + k))}): {string.Join("; ", dropped)}.");
        }

        if (dropped.Count > 0)
        {
            Console.Error.WriteLine($"note: left out {dropped.Count} feature(s) whose fields the data does not have: {string.Join("; ", dropped)}.");
        }

        return kept;
    }

    private static Bars ReadCsv(FileInfo file, string? givenSymbol)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"Input file '{file.FullName}' does not exist.", file.FullName);
        }

        using var reader = new StreamReader(file.FullName);
        var header = reader.ReadLine() ?? throw new FormatException($"{file.Name}: the file is empty; expected a header row.");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToArray();
        var symbolColumn = System.Array.IndexOf(columns, "symbol");
        var timeColumn = System.Array.IndexOf(columns, "timestamp");
        var timeName = "timestamp";
        if (timeColumn < 0)
        {
            timeColumn = System.Array.IndexOf(columns, "date");
            timeName = "date";
        }

        if (timeColumn < 0)
        {
            throw new FormatException($"{file.Name}: the header has no 'date' or 'timestamp' column (columns: {string.Join(", ", columns)}).");
        }

        if (symbolColumn >= 0 && givenSymbol is not null)
        {
            throw new UsageException($"--symbol {givenSymbol}: {file.Name} has a symbol column already; leave --symbol out, or drop the column.");
        }

        // A one-symbol file (no symbol column) is named by --symbol, or else by its file name, so the output says whose rows they are.
        var fileSymbol = givenSymbol ?? Path.GetFileNameWithoutExtension(file.Name);
        var fieldColumns = columns.Select((c, i) => (c, i)).Where(x => x.i != symbolColumn && x.i != timeColumn).ToList();
        var rows = new List<(string Symbol, DateTime Time, string TimeText, double[] Values)>();
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new FormatException($"{file.Name}, row {line}: {cells.Length} cells but the header has {columns.Length}.");
            }

            var timeText = cells[timeColumn].Trim().Trim('"');
            if (!DateTime.TryParse(timeText, Inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new FormatException($"{file.Name}, row {line}, column '{columns[timeColumn]}': '{timeText}' is not a date or timestamp (use ISO 8601, e.g. 2024-01-31 or 2024-01-31T14:30:00Z).");
            }

            var values = new double[fieldColumns.Count];
            for (var f = 0; f < fieldColumns.Count; f++)
            {
                var cell = cells[fieldColumns[f].i].Trim();
                if (cell.Length == 0 || cell.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    values[f] = double.NaN;
                }
                else if (!double.TryParse(cell, NumberStyles.Float, Inv, out values[f]))
                {
                    throw new FormatException($"{file.Name}, row {line}, column '{fieldColumns[f].c}': '{cell}' is not a number.");
                }
            }

            rows.Add((symbolColumn >= 0 ? cells[symbolColumn].Trim().Trim('"') : fileSymbol, time, timeText, values));
        }

        var times = rows.Select(r => r.Time).Distinct().Order().ToList();
        var symbols = rows.Select(r => r.Symbol).Distinct().Order(StringComparer.Ordinal).ToList();
        var timeIndex = times.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var symbolIndex = symbols.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var n = symbols.Count;
        var fields = fieldColumns.ToDictionary(c => c.c, _ => Enumerable.Repeat(float.NaN, times.Count * n).ToArray(), StringComparer.Ordinal);
        var timeTexts = new string[times.Count];
        var written = new List<int>(rows.Count);
        var seen = new HashSet<int>();
        for (var r = 0; r < rows.Count; r++)
        {
            var (symbol, time, timeText, values) = rows[r];
            var cell = timeIndex[time] * n + symbolIndex[symbol];
            if (!seen.Add(cell))
            {
                throw new FormatException($"{file.Name}: symbol '{symbol}' has two rows for {timeText}.");
            }

            timeTexts[timeIndex[time]] ??= timeText;
            for (var f = 0; f < fieldColumns.Count; f++)
            {
                fields[fieldColumns[f].c][cell] = (float)values[f];
            }

            written.Add(cell);
        }

        written.Sort((a, b) => a % n != b % n ? (a % n).CompareTo(b % n) : a.CompareTo(b));
        return new Bars(symbols, times, timeTexts, timeName, fields, written);
    }

    private static Bars ReadStore(FileInfo storeFile, string? asOfText, string? fromText, string? universe, int lookback)
    {
        if (universe is not null)
        {
            throw new UsageException($"--universe {universe}: the market store does not hold universe membership yet; leave --universe out to use every stored symbol.");
        }

        if (asOfText is null)
        {
            throw new UsageException("--store needs --as-of DATE (yyyy-MM-dd): the last date that may be read.");
        }

        var asOf = ParseDate(asOfText, "--as-of");
        var first = fromText is null ? asOf : ParseDate(fromText, "--from");
        if (first > asOf)
        {
            throw new UsageException($"--from {first:yyyy-MM-dd} is after --as-of {asOf:yyyy-MM-dd}.");
        }

        // Sessions are at most 5 in 7 days, minus holidays: this many calendar days hold the lookback's sessions.
        var loadFrom = first.AddDays(-(lookback * 7 / 5 + 14));
        using var market = MarketStore.Open(storeFile.FullName, readOnly: true);
        // Prices and volumes adjusted for the splits and dividends known and effective by the as-of date, as training sees them.
        var panel = market.LoadDailyPanel(loadFrom, asOf, ["open", "high", "low", "close", "volume"], adjustAsOf: asOf);
        if (panel.T == 0)
        {
            throw new UsageException($"The store has no bars between {loadFrom:yyyy-MM-dd} and {asOf:yyyy-MM-dd}.");
        }

        var fields = panel.FieldNames.ToDictionary(f => f, panel.Field, StringComparer.Ordinal);
        var close = panel.Field("close");
        var n = panel.N;
        var firstRow = panel.Timestamps.ToList().FindIndex(t => DateOnly.FromDateTime(t) >= first);
        var written = new List<int>();
        for (var j = 0; j < n; j++)
        {
            for (var i = Math.Max(firstRow, 0); i < panel.T && firstRow >= 0; i++)
            {
                if (!float.IsNaN(close[i * n + j]))
                {
                    written.Add(i * n + j);
                }
            }
        }

        var texts = panel.Timestamps.Select(t => t.ToString("yyyy-MM-dd", Inv)).ToArray();
        return new Bars(panel.Symbols, panel.Timestamps, texts, "date", fields, written);
    }

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option} '{text}' is not a date; use yyyy-MM-dd.");

    private static void WriteCsv(FileInfo output, Bars bars, List<string> names, Dictionary<string, float[]> values, IProgress<ProgressUpdate> progress)
    {
        output.Directory?.Create();
        using var writer = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false));
        writer.Write("symbol,");
        writer.Write(bars.TimeName);
        foreach (var name in names)
        {
            writer.Write(',');
            writer.Write(name);
        }

        writer.Write('\n');
        var n = bars.Symbols.Count;
        var line = new StringBuilder();
        var written = 0;
        foreach (var cell in bars.RowsToWrite)
        {
            line.Clear();
            line.Append(bars.Symbols[cell % n]).Append(',').Append(bars.TimeTexts[cell / n]);
            foreach (var name in names)
            {
                line.Append(',');
                var v = values[name][cell];
                if (float.IsFinite(v))
                {
                    line.Append(v.ToString("R", Inv));
                }
            }

            writer.Write(line.Append('\n'));
            if (++written % ProgressRows == 0 || written == bars.RowsToWrite.Count)
            {
                progress.Report(new ProgressUpdate("write", written, bars.RowsToWrite.Count, output.Name));
            }
        }
    }

    private static void WriteArrow(FileInfo output, Bars bars, List<string> names, Dictionary<string, float[]> values)
    {
        output.Directory?.Create();
        var n = bars.Symbols.Count;
        var rows = bars.RowsToWrite;
        var builder = new RecordBatch.Builder()
            .Append("symbol", false, c => c.String(b => b.AppendRange(rows.Select(cell => bars.Symbols[cell % n]))))
            .Append(bars.TimeName, false, c => c.String(b => b.AppendRange(rows.Select(cell => bars.TimeTexts[cell / n]))));
        foreach (var name in names)
        {
            var column = values[name];
            builder.Append(name, true, c => c.Float(b =>
            {
                foreach (var cell in rows)
                {
                    if (float.IsFinite(column[cell]))
                    {
                        b.Append(column[cell]);
                    }
                    else
                    {
                        b.AppendNull();
                    }
                }
            }));
        }

        using var batch = builder.Build();
        using var stream = File.Create(output.FullName);
        using var writer = new ArrowFileWriter(stream, batch.Schema);
        writer.WriteRecordBatch(batch);
        writer.WriteEnd();
    }

    /// <summary>A [t, n] panel of input fields and the cells (bars that exist) to write, by symbol then time.</summary>
    private sealed record Bars(
        IReadOnlyList<string> Symbols,
        IReadOnlyList<DateTime> Times,
        string[] TimeTexts,
        string TimeName,
        Dictionary<string, float[]> Fields,
        List<int> RowsToWrite);

    private sealed class UsageException(string message) : Exception(message);
}
