using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;
using QuantPipeline.Storage.Artifacts;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// Bar ingest: the source is staged as-is, typed and checked by one set-based SQL pass (no row-by-row
/// inserts), and valid rows, quarantined rows and the batch record are written in one transaction.
/// </summary>
public sealed partial class MarketStore
{
    private static readonly string[] TimeColumnAliases = ["timestamp", "ts", "datetime", "time", "date"];

    /// <summary>Ingests a CSV, Parquet or Arrow IPC file of bars (format from the extension).</summary>
    public IngestResult IngestFile(string path, BarIngestOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        EnsureWritable();
        var full = System.IO.Path.GetFullPath(path);
        BarFileChecks.EnsureReadableFile(full);
        var format = BarFileFormats.FromPath(full);
        var header = format == BarFileFormat.Csv ? BarFileChecks.CsvHeader(full, options.Delimiter) : (',', []);
        var hash = ContentHash.Sha256OfFile(full);
        try
        {
            return IngestStaged(full, format, header, hash, options);
        }
        catch (DuckDBException e) when (e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("disk is full", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"{full}: the disk holding the market store {Path} ran out of space ({FirstLine(e.Message)}); the batch was rolled back and nothing of this file was stored. Free space and ingest again.", e);
        }
    }

    private IngestResult IngestStaged(string full, BarFileFormat format, (char Delimiter, IReadOnlyList<string> Columns) header, string hash, BarIngestOptions options)
    {
        return InTransaction(() =>
        {
            var lineOffset = 0L;
            try
            {
                switch (format)
                {
                    case BarFileFormat.Csv:
                        // Every column is read as text so each malformed cell can be reported by row. Separator and
                        // columns come from the header line, not the sniffer: it takes a row with one cell too many or
                        // too few as a sign that there is no header, and would report the first data row as the columns.
                        var columns = string.Join(", ", header.Columns.Select(c => $"{SqlString(c)}: 'VARCHAR'"));
                        Execute($"CREATE TEMP TABLE qp_src AS SELECT row_number() OVER () AS __row, * FROM read_csv({SqlString(full)}, auto_detect = false, header = true, columns = {{{columns}}}, delim = {SqlString(header.Delimiter.ToString())}, quote = '\"', escape = '\"', nullstr = ['', 'NA', 'N/A', 'null', 'NULL', 'None', 'NaN', 'nan'])");
                        lineOffset = 1;
                        break;
                    case BarFileFormat.Parquet:
                        Execute($"CREATE TEMP VIEW qp_src AS SELECT file_row_number + 1 AS __row, * EXCLUDE (file_row_number) FROM read_parquet({SqlString(full)}, file_row_number = true)");
                        // A view binds only the footer; reading the row count here surfaces a damaged body before any check.
                        Scalar("SELECT count(*) FROM qp_src");
                        break;
                    case BarFileFormat.ArrowIpc:
                        ArrowIpcStaging.Stage(_connection, full, "qp_src");
                        break;
                }
            }
            catch (Exception e) when (e is DuckDBException or IOException or InvalidDataException or ArgumentException or InvalidOperationException or OverflowException)
            {
                throw Unreadable(full, format, e);
            }

            if (ToLong(Scalar("SELECT count(*) FROM qp_src")) == 0)
            {
                throw new InvalidDataException(
                    $"{full}: the file holds column names but no bars{(format == BarFileFormat.Csv ? " (a header line only)" : string.Empty)}; nothing was stored. Check the export, or leave the file out.");
            }

            return ValidateAndStore(full, hash, options, lineOffset);
        });
    }

    /// <summary>The rules that could not run because the file lacks a field they compare, each with the rows it skipped.</summary>
    private static List<SkippedRule> SkippedRules(Dictionary<string, string> columns, long rows)
    {
        var skipped = new List<SkippedRule>();
        void Needs(string rule, params string[] fields)
        {
            var absent = fields.Where(f => !columns.ContainsKey(f)).ToArray();
            if (absent.Length > 0)
            {
                skipped.Add(new SkippedRule(rule, absent, rows));
            }
        }

        Needs(ValidationRules.HighBelowLow, "high", "low");
        Needs(ValidationRules.OpenCloseOutsideRange, "open", "high", "low");
        Needs(ValidationRules.NegativeVolume, "volume");
        return skipped;
    }

    /// <summary>What a file DuckDB or the Arrow reader could not read is, in words, with what to do.</summary>
    private static InvalidDataException Unreadable(string full, BarFileFormat format, Exception e)
    {
        var detail = FirstLine(e.Message);
        if (e.Message.Contains("Invalid unicode", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("not utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return new InvalidDataException(BarFileChecks.NotUtf8(full, CsvErrorLine(e.Message)), e);
        }

        if (detail.Contains("No space left", StringComparison.OrdinalIgnoreCase) || detail.Contains("disk is full", StringComparison.OrdinalIgnoreCase))
        {
            return new InvalidDataException($"{full}: the disk ran out of space while staging the file ({detail}); nothing was stored. Free space and ingest again.", e);
        }

        return format switch
        {
            BarFileFormat.Csv when CsvErrorLine(e.Message) is { } line => new InvalidDataException(
                $"{full}, line {line}: {CsvProblem(e.Message)} Nothing was stored; fix that line (every row needs one cell per header column; quote cells that contain the separator) and ingest again.", e),
            BarFileFormat.Csv => new InvalidDataException($"{full}: not readable as CSV ({detail}). Nothing was stored.", e),
            BarFileFormat.Parquet => new InvalidDataException(
                $"{full}: not a readable Parquet file ({detail}). It may be truncated (an interrupted copy or download) or another format with a .parquet name; export it again, or give it the extension of its real format (.csv, .arrow). Nothing was stored.", e),
            _ => new InvalidDataException(
                $"{full}: not a readable Arrow IPC file ({detail}). It may be truncated or another format with an .arrow name; export it again as an Arrow IPC file or stream, or give it the extension of its real format (.csv, .parquet). Nothing was stored.", e),
        };
    }

    private static long? CsvErrorLine(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"CSV Error on Line: (\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string CsvProblem(string message)
    {
        var expected = System.Text.RegularExpressions.Regex.Match(message, @"Expected Number of Columns: (\d+) Found: (\d+)");
        if (expected.Success)
        {
            return $"the row has {expected.Groups[2].Value} cells but the header has {expected.Groups[1].Value} columns.";
        }

        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var reason = lines.Skip(1).FirstOrDefault(l => !l.StartsWith("Original Line", StringComparison.Ordinal) && !l.StartsWith("Possible", StringComparison.Ordinal)) ?? FirstLine(message);
        return reason.TrimEnd('.') + ".";
    }

    /// <summary>Ingests bars from memory as one batch; the content hash covers the bars in order.</summary>
    public IngestResult IngestBars(IEnumerable<Bar> bars, BarIngestOptions options, string source = "api")
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(options);
        EnsureWritable();
        return InTransaction(() =>
        {
            Execute("""
                CREATE TEMP TABLE qp_src (__row BIGINT, symbol VARCHAR, "timestamp" TIMESTAMP,
                    open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)
                """);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> record = stackalloc byte[6 * sizeof(double)];
            long row = 0;
            using (var appender = _connection.CreateAppender("temp", "main", "qp_src"))
            {
                foreach (var bar in bars)
                {
                    row++;
                    var ts = DateTime.SpecifyKind(bar.Timestamp, DateTimeKind.Unspecified);
                    appender.CreateRow()
                        .AppendValue(row).AppendValue(bar.Symbol).AppendValue(ts)
                        .AppendValue(bar.Open).AppendValue(bar.High).AppendValue(bar.Low).AppendValue(bar.Close).AppendValue(bar.Volume)
                        .EndRow();
                    hash.AppendData(Encoding.UTF8.GetBytes(bar.Symbol));
                    BitConverter.TryWriteBytes(record, ts.Ticks);
                    BitConverter.TryWriteBytes(record[8..], bar.Open);
                    BitConverter.TryWriteBytes(record[16..], bar.High);
                    BitConverter.TryWriteBytes(record[24..], bar.Low);
                    BitConverter.TryWriteBytes(record[32..], bar.Close);
                    BitConverter.TryWriteBytes(record[40..], bar.Volume);
                    hash.AppendData(record);
                }
            }

            return ValidateAndStore(source, Convert.ToHexStringLower(hash.GetHashAndReset()), options, 0);
        });
    }

    /// <summary>The batches ingested so far, oldest first.</summary>
    public IReadOnlyList<IngestResult> Batches()
    {
        var list = new List<IngestResult>();
        using var cmd = Command("SELECT batch_id, batch_seq, source, content_sha256, ingested_at, rows_read, rows_stored, rows_quarantined FROM ingest_batches ORDER BY batch_seq");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new IngestResult(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7)));
        }

        return list;
    }

    /// <summary>Quarantined rows of one batch (or all), in row order.</summary>
    public IReadOnlyList<IngestViolation> Quarantined(string? batchId = null)
    {
        var list = new List<IngestViolation>();
        using var cmd = Command("""
            SELECT q.source, q.row_number, q.symbol, q.rule, q.message FROM quarantine q JOIN ingest_batches b USING (batch_seq)
            WHERE $batch IS NULL OR b.batch_id = $batch ORDER BY q.batch_seq, q.row_number
            """, ("batch", batchId));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new IngestViolation(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), null, reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }

    /// <summary>Quarantined rows with their batch and the source row as it was read, filtered by batch id and rule, in batch and row order.</summary>
    public IReadOnlyList<QuarantinedRow> QuarantinedRows(string? batchId = null, string? rule = null)
    {
        var list = new List<QuarantinedRow>();
        using var cmd = Command("""
            SELECT b.batch_id, q.source, q.row_number, q.symbol, q.rule, q.message, q.raw_row FROM quarantine q JOIN ingest_batches b USING (batch_seq)
            WHERE ($batch IS NULL OR b.batch_id = $batch) AND ($rule IS NULL OR q.rule = $rule) ORDER BY q.batch_seq, q.row_number
            """, ("batch", batchId), ("rule", rule));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new QuarantinedRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return list;
    }

    private T InTransaction<T>(Func<T> work)
    {
        DropStaging();
        using var transaction = _connection.BeginTransaction();
        var committing = false;
        try
        {
            var result = work();
            DropStaging();
            committing = true;
            transaction.Commit();
            return result;
        }
        catch
        {
            // A commit that fails (the disk filled while writing the log) has already ended the transaction and
            // written nothing: rolling back again would only hide its error.
            if (!committing)
            {
                transaction.Rollback();
            }

            Execute("SET TimeZone = 'UTC'");
            DropStaging();
            throw;
        }
    }

    private void DropStaging()
    {
        foreach (var name in new[] { "qp_chk", "qp_sess", "qp_touched" })
        {
            Execute($"DROP TABLE IF EXISTS {name}");
        }

        Execute("DROP VIEW IF EXISTS qp_typed");
        var kind = Scalar("SELECT any_value(table_type) FROM information_schema.tables WHERE table_name = 'qp_src' AND table_schema = 'main' AND table_catalog = 'temp'") as string;
        if (kind is not null)
        {
            Execute(kind == "VIEW" ? "DROP VIEW qp_src" : "DROP TABLE qp_src");
        }
    }

    private IngestResult ValidateAndStore(string source, string contentHash, BarIngestOptions options, long lineOffset)
    {
        var calendar = ExchangeCalendars.Get(options.Calendar);
        var ingestedAt = TruncateToMicroseconds(DateTime.UtcNow);
        var knownAt = options.KnownAt is { } k ? TruncateToMicroseconds(k.ToUniversalTime()) : ingestedAt;
        var columns = SourceColumns(source, options);
        var daily = options.Frequency == BarFrequency.Daily;

        string Num(string canonical) => !columns.TryGetValue(canonical, out var c) ? "NULL::DOUBLE"
            : options.DecimalSeparator == ',' ? $"TRY_CAST(replace({c}::VARCHAR, ',', '.') AS DOUBLE)"
            : $"TRY_CAST({c} AS DOUBLE)";
        string Raw(string canonical) => columns.TryGetValue(canonical, out var c) ? c : "NULL";
        var zone = ResolveZone(options.SourceTimeZone, calendar);
        var knownLiteral = "TIMESTAMP '" + knownAt.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "'";
        var time = columns["time"];
        var timeType = SourceColumnType(columns["time"]);
        // Typed sources skip the text → TIMESTAMPTZ → UTC conversion where it would be the identity.
        var timeExpr = daily ? $"TRY_CAST({time} AS DATE)::TIMESTAMP"
            : timeType == "TIMESTAMP WITH TIME ZONE" ? $"timezone('UTC', {time})"
            : timeType.StartsWith("TIMESTAMP", StringComparison.Ordinal) && zone == "UTC" ? $"{time}::TIMESTAMP"
            : $"timezone('UTC', TRY_CAST({time} AS TIMESTAMPTZ))";
        var hasAvailable = columns.TryGetValue("available_at", out var av);
        var availableExpr = hasAvailable ? $"coalesce(timezone('UTC', TRY_CAST({av} AS TIMESTAMPTZ)), {knownLiteral})" : knownLiteral;
        var symbolExpr = options.Symbol is { } s ? SqlString(s) : $"nullif(trim({columns["symbol"]}::VARCHAR), '')";
        var timeName = daily ? "date" : "timestamp";
        var numericPresent = new[] { "open", "high", "low", "close", "volume", "vwap" }.Where(columns.ContainsKey).ToArray();
        var malformedTests = numericPresent.Select(n => $"({Raw(n)} IS NOT NULL AND NOT coalesce(isfinite({Num(n)}), false))")
            .Append($"({time} IS NOT NULL AND {timeExpr} IS NULL)")
            .Concat(hasAvailable ? [$"({av} IS NOT NULL AND TRY_CAST({av} AS TIMESTAMPTZ) IS NULL)"] : []);
        // A field the file has no column for is stored as missing; a present column with an empty cell is a missing value.
        var requiredPresent = new[] { "open", "high", "low", "close", "volume" }.Where(columns.ContainsKey).ToArray();
        var missingTests = requiredPresent.Select(n => $"{Raw(n)} IS NULL")
            .Append($"{time} IS NULL").Append($"{symbolExpr} IS NULL");
        var malformedChecks = numericPresent
            .Select(n => $"CASE WHEN {Raw(n)} IS NOT NULL AND NOT coalesce(isfinite({Num(n)}), false) THEN '{n}=''' || {Raw(n)}::VARCHAR || '''' END")
            .Append($"CASE WHEN {time} IS NOT NULL AND {timeExpr} IS NULL THEN '{timeName}=''' || {time}::VARCHAR || '''' END")
            .Concat(hasAvailable ? [$"CASE WHEN {av} IS NOT NULL AND TRY_CAST({av} AS TIMESTAMPTZ) IS NULL THEN 'available_at=''' || {av}::VARCHAR || '''' END"] : []);
        var missingChecks = requiredPresent
            .Select(n => $"CASE WHEN {Raw(n)} IS NULL THEN '{n}' END")
            .Append($"CASE WHEN {time} IS NULL THEN '{timeName}' END")
            .Append($"CASE WHEN {symbolExpr} IS NULL THEN 'symbol' END");
        Execute($"""
            CREATE TEMP VIEW qp_typed AS
            SELECT src.__row, {symbolExpr} AS symbol, {timeExpr} AS ts,
                   {Num("open")} AS open, {Num("high")} AS high, {Num("low")} AS low, {Num("close")} AS close,
                   {Num("volume")} AS volume, {Num("vwap")} AS vwap, {availableExpr} AS available_at,
                   CASE WHEN {string.Join(" OR ", missingTests)} THEN concat_ws(', ', {string.Join(", ", missingChecks)}) END AS missing,
                   CASE WHEN {string.Join(" OR ", malformedTests)} THEN concat_ws(', ', {string.Join(", ", malformedChecks)}) END AS malformed
            FROM qp_src src
            """);

        var seq = ToLong(Scalar("SELECT coalesce(max(batch_seq), 0) + 1 FROM ingest_batches"));
        var batchId = string.Create(CultureInfo.InvariantCulture, $"B{seq:D6}-{contentHash[..Math.Min(12, contentHash.Length)]}");
        var table = daily ? "daily_bars" : "intraday_bars";
        var rowsRead = ToLong(Scalar("SELECT count(*) FROM qp_src"));
        long stored;
        long violations;

        // Sources' naive timestamps are read in the source zone; the view is evaluated under this setting
        // until the checked rows are stored as naive UTC.
        Execute($"SET TimeZone = {SqlString(zone)}");
        try
        {
            StageSessions(calendar);
            // Clean files are the common case: one pass checks every row (comparing it with the symbol's
            // previous row) and streams the valid ones straight into the bar table, without materialising
            // the checked rows. Any violation sends the batch down the exact path below, which first removes
            // what this pass stored (only this batch carries this batch_seq).
            stored = ExecuteCount($"""
                INSERT INTO {table}
                SELECT symbol, {(daily ? "ts::DATE" : "ts")}, open, high, low, close, volume, vwap, available_at, $seq, NULL
                FROM ({CheckedRowsSql(options, calendar, daily, exactOrder: false)}) c WHERE rule IS NULL
                """, ("seq", seq));
            violations = rowsRead - stored;
            if (violations > 0)
            {
                Execute($"DELETE FROM {table} WHERE batch_seq = $seq", ("seq", seq));
                // A cheap pass compares each row with the symbol's previous row only. If that finds rows out of
                // order, the exact pass compares with the maximum of all earlier rows, so that a row repeating an
                // earlier time after a step back is caught too (and accepted rows are strictly increasing).
                CreateCheckedRows(options, calendar, daily, exactOrder: false);
                if (ToLong(Scalar("SELECT count(*) FROM qp_chk WHERE out_of_order")) > 0)
                {
                    Execute("DROP TABLE qp_chk");
                    CreateCheckedRows(options, calendar, daily, exactOrder: true);
                }
            }
        }
        catch (DuckDBException)
        {
            // A failed statement (a full disk, for one) aborts the transaction, which then refuses even SET; the
            // rollback in InTransaction resets the zone, and the first error is the one to report.
            throw;
        }

        Execute("SET TimeZone = 'UTC'");
        if (violations > 0)
        {
            violations = ToLong(Scalar("SELECT count(*) FROM qp_chk WHERE rule IS NOT NULL"));
            if (options.Policy == IngestPolicy.Reject)
            {
                throw new IngestValidationException(source, violations, FirstViolations(source, options.MaxReportedViolations, lineOffset, daily));
            }

            stored = ExecuteCount($"""
                INSERT INTO {table}
                SELECT symbol, {(daily ? "ts::DATE" : "ts")}, open, high, low, close, volume, vwap, available_at, $seq, NULL
                FROM qp_chk WHERE rule IS NULL
                """, ("seq", seq));
        }

        if (options.AddUnknownSymbols)
        {
            Execute($"""
                INSERT INTO symbols
                SELECT symbol, $exchange, min({(daily ? "date" : "ts")})::DATE, NULL, min(available_at), $seq FROM {table}
                WHERE batch_seq = $seq AND symbol NOT IN (SELECT symbol FROM symbols)
                GROUP BY symbol
                """, ("exchange", calendar.Name), ("seq", seq));
        }

        MarkSuperseded(table, daily ? "date" : "ts", seq);
        var quarantined = violations == 0 ? 0 : ExecuteCount("""
            INSERT INTO quarantine
            SELECT $seq, $source, c.__row, c.symbol, c.rule, c.message, CAST(src AS VARCHAR)
            FROM qp_chk c JOIN qp_src src ON src.__row = c.__row
            WHERE c.rule IS NOT NULL
            """, ("seq", seq), ("source", source));
        var byRule = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (quarantined > 0)
        {
            using var counts = Command("SELECT rule, count(*) FROM quarantine WHERE batch_seq = $seq GROUP BY rule", ("seq", seq));
            using var reader = counts.ExecuteReader();
            while (reader.Read())
            {
                byRule[reader.GetString(0)] = ToLong(reader.GetValue(1));
            }
        }

        Execute(
            "INSERT INTO ingest_batches VALUES ($seq, $id, 'bars', $source, $hash, $policy, $at, $read, $stored, $quarantined)",
            ("seq", seq), ("id", batchId), ("source", source), ("hash", contentHash), ("policy", options.Policy.ToString().ToLowerInvariant()),
            ("at", ingestedAt), ("read", rowsRead), ("stored", stored), ("quarantined", quarantined));
        return new IngestResult(batchId, seq, source, contentHash, ingestedAt, rowsRead, stored, quarantined)
        {
            SkippedRules = SkippedRules(columns, rowsRead),
            QuarantinedByRule = byRule,
        };
    }

    /// <summary>
    /// Recomputes superseded_at for the keys this batch touched that already had versions: each version is
    /// superseded by the next one in (available_at, batch_seq) order. Fresh keys need no work.
    /// </summary>
    private void MarkSuperseded(string table, string timeColumn, long seq)
    {
        using (var range = Command($"SELECT min({timeColumn}), max({timeColumn}) FROM {table} WHERE batch_seq = $seq", ("seq", seq)))
        using (var reader = range.ExecuteReader())
        {
            if (!reader.Read() || reader.IsDBNull(0))
            {
                return;
            }

            var lo = reader.GetValue(0);
            var hi = reader.GetValue(1);
            // The common case — new history, nothing stored over the batch's time range — needs no work.
            if (ToLong(Scalar($"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE batch_seq <> $seq AND {timeColumn} BETWEEN $lo AND $hi LIMIT 1)", ("seq", seq), ("lo", lo), ("hi", hi))) == 0)
            {
                return;
            }
        }

        Execute($"""
            CREATE TEMP TABLE qp_touched AS
            SELECT DISTINCT b.symbol, b.{timeColumn} AS t FROM {table} b
            JOIN (SELECT symbol, {timeColumn} AS t FROM {table} WHERE batch_seq = $seq) n ON n.symbol = b.symbol AND n.t = b.{timeColumn}
            WHERE b.batch_seq <> $seq
            """, ("seq", seq));
        Execute($"""
            UPDATE {table} b SET superseded_at = v.next_at
            FROM (
                SELECT symbol, {timeColumn} AS t, available_at, batch_seq,
                       lead(available_at) OVER (PARTITION BY symbol, {timeColumn} ORDER BY available_at, batch_seq) AS next_at
                FROM {table} x WHERE EXISTS (SELECT 1 FROM qp_touched q WHERE q.symbol = x.symbol AND q.t = x.{timeColumn})
            ) v
            WHERE b.symbol = v.symbol AND b.{timeColumn} = v.t AND b.available_at = v.available_at AND b.batch_seq = v.batch_seq
              AND b.superseded_at IS DISTINCT FROM v.next_at
            """);
        Execute("DROP TABLE qp_touched");
    }

    private void CreateCheckedRows(BarIngestOptions options, IExchangeCalendar calendar, bool daily, bool exactOrder) =>
        Execute("CREATE TEMP TABLE qp_chk AS " + CheckedRowsSql(options, calendar, daily, exactOrder));

    /// <summary>Every staged row with the first rule it breaks (NULL when valid) and a message naming the values.</summary>
    private static string CheckedRowsSql(BarIngestOptions options, IExchangeCalendar calendar, bool daily, bool exactOrder) =>
        $"""
            WITH ordered AS (
                SELECT *, {(exactOrder ? "max(ts) OVER (PARTITION BY symbol ORDER BY __row ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)" : "lag(ts) OVER (PARTITION BY symbol ORDER BY __row)")} AS prev_max_ts
                FROM qp_typed
            ),
            known_symbols AS (
                SELECT DISTINCT symbol FROM symbols
            )
            SELECT o.__row, o.symbol, o.ts, o.open, o.high, o.low, o.close, o.volume, o.vwap, o.available_at, coalesce(o.ts <= o.prev_max_ts, false) AS out_of_order,
                CASE
                    WHEN o.missing IS NOT NULL THEN '{ValidationRules.MissingValue}'
                    WHEN o.malformed IS NOT NULL THEN '{ValidationRules.MalformedValue}'
                    WHEN o.ts = o.prev_max_ts THEN '{ValidationRules.Duplicate}'
                    WHEN o.ts < o.prev_max_ts THEN '{ValidationRules.NonMonotonicTimestamp}'
                    WHEN least(o.open, o.high, o.low, o.close) <= 0 OR o.vwap <= 0 THEN '{ValidationRules.NonPositivePrice}'
                    WHEN o.volume < 0 THEN '{ValidationRules.NegativeVolume}'
                    WHEN o.high < o.low THEN '{ValidationRules.HighBelowLow}'
                    WHEN o.open < o.low OR o.open > o.high OR o.close < o.low OR o.close > o.high THEN '{ValidationRules.OpenCloseOutsideRange}'
                    WHEN s.session IS NULL THEN '{ValidationRules.OutsideSession}'
                    WHEN {(options.AddUnknownSymbols ? "false" : "k.symbol IS NULL")} THEN '{ValidationRules.UnknownSymbol}'
                END AS rule,
                CASE
                    WHEN o.missing IS NOT NULL THEN 'no value for ' || o.missing
                    WHEN o.malformed IS NOT NULL THEN 'not a valid number or time: ' || o.malformed
                    WHEN o.ts = o.prev_max_ts THEN 'same symbol and time as an earlier row'
                    WHEN o.ts < o.prev_max_ts THEN 'time goes backwards: after ' || o.prev_max_ts::VARCHAR || ' for this symbol in an earlier row'
                    WHEN least(o.open, o.high, o.low, o.close) <= 0 OR o.vwap <= 0 THEN 'prices must be positive (open ' || o.open || ', high ' || o.high || ', low ' || o.low || ', close ' || o.close || coalesce(', vwap ' || o.vwap, '') || ')'
                    WHEN o.volume < 0 THEN 'volume ' || o.volume || ' is negative'
                    WHEN o.high < o.low THEN 'high ' || o.high || ' is below low ' || o.low
                    WHEN o.open < o.low OR o.open > o.high OR o.close < o.low OR o.close > o.high THEN 'open ' || o.open || ' and close ' || o.close || ' must lie within [low ' || o.low || ', high ' || o.high || ']'
                    WHEN s.session IS NULL THEN 'not within a {calendar.Name} session{(daily ? string.Empty : " (bar end times must satisfy open < t <= close, UTC)")}'
                    WHEN k.symbol IS NULL THEN 'symbol is not registered; add it to the symbols table first or let ingest register it (qp ingest --add-symbols)'
                END AS message
            FROM ordered o
            LEFT JOIN qp_sess s ON s.session = {(daily ? "o.ts::DATE" : "(o.ts - INTERVAL 1 MICROSECOND)::DATE AND o.ts > s.open_utc AND o.ts <= s.close_utc")}
            LEFT JOIN known_symbols k ON k.symbol = o.symbol
            """;

    private List<IngestViolation> FirstViolations(string source, int limit, long lineOffset, bool daily)
    {
        var list = new List<IngestViolation>();
        using var cmd = Command($"SELECT __row, symbol, ts, rule, message FROM qp_chk WHERE rule IS NOT NULL ORDER BY __row LIMIT {Math.Max(1, limit)}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = reader.GetInt64(0);
            var where = lineOffset > 0 ? $"{source} (line {row + lineOffset})" : source;
            string? ts = reader.IsDBNull(2) ? null : reader.GetDateTime(2).ToString(daily ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            list.Add(new IngestViolation(where, row, reader.IsDBNull(1) ? null : reader.GetString(1), ts, reader.GetString(3), reader.GetString(4)));
        }

        return list;
    }

    /// <summary>Resolves canonical column names to quoted source columns, failing with the columns found when one is missing.</summary>
    private Dictionary<string, string> SourceColumns(string source, BarIngestOptions options)
    {
        var available = new List<string>();
        using (var cmd = Command("SELECT column_name FROM information_schema.columns WHERE table_name = 'qp_src' AND table_catalog = 'temp' ORDER BY ordinal_position"))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                available.Add(reader.GetString(0));
            }
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Find(string name) => available.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        foreach (var (canonical, sourceName) in options.ColumnMap)
        {
            var key = canonical is "date" or "timestamp" ? "time" : canonical;
            map[key] = Quote(Find(sourceName) ?? throw new ArgumentException(
                $"{source}: the column map names '{sourceName}' for {canonical}, but the file has no such column. Columns found: {string.Join(", ", available.Where(c => c != "__row"))}."));
        }

        // Only close is required: index levels and adjusted-close exports have no open, high, low or volume.
        var required = new List<string> { "close" };
        if (options.Symbol is null)
        {
            required.Insert(0, "symbol");
        }

        foreach (var canonical in required.Concat(["open", "high", "low", "volume", "vwap", "available_at"]))
        {
            if (!map.ContainsKey(canonical) && Find(canonical) is { } found)
            {
                map[canonical] = Quote(found);
            }
        }

        if (!map.ContainsKey("time") && TimeColumnAliases.Select(Find).FirstOrDefault(c => c is not null) is { } time)
        {
            map["time"] = Quote(time);
        }

        var missing = required.Where(r => !map.ContainsKey(r)).ToList();
        if (!map.ContainsKey("time"))
        {
            missing.Insert(0, "timestamp|date");
        }

        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"{source}: required column(s) {string.Join(", ", missing)} not found. Columns found: {string.Join(", ", available.Where(c => c != "__row"))}. " +
                "open, high, low, volume and vwap are optional. Map differently named columns (e.g. --map close=Close,timestamp=Datetime) or give --symbol for one-symbol files.");
        }

        return map;
    }

    private string SourceColumnType(string quoted)
    {
        var name = quoted["src.\"".Length..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        return Scalar(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'qp_src' AND table_catalog = 'temp' AND column_name = $name",
            ("name", name)) as string ?? "VARCHAR";
    }

    private static string Quote(string column) =>
        "src.\"" + column.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string ResolveZone(string sourceZone, IExchangeCalendar calendar)
    {
        if (string.Equals(sourceZone, "exchange", StringComparison.OrdinalIgnoreCase))
        {
            return calendar.TimeZone == TimeZoneInfo.Utc ? "UTC" : calendar.TimeZone.Id;
        }

        if (string.Equals(sourceZone, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return "UTC";
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(sourceZone).Id;
        }
        catch (TimeZoneNotFoundException)
        {
            throw new ArgumentException($"Unknown time zone '{sourceZone}'; use UTC, exchange, or an IANA id such as America/New_York.");
        }
    }

    /// <summary>The calendar's sessions over the staged rows' date range, for the session rule's join.</summary>
    private void StageSessions(IExchangeCalendar calendar)
    {
        Execute("CREATE TEMP TABLE qp_sess (session DATE, open_utc TIMESTAMP, close_utc TIMESTAMP)");
        using var cmd = Command("SELECT min(ts)::DATE, max(ts)::DATE FROM qp_typed");
        using var reader = cmd.ExecuteReader();
        if (!reader.Read() || reader.IsDBNull(0))
        {
            return;
        }

        var first = DateOnly.FromDateTime(reader.GetDateTime(0)).AddDays(-1);
        var last = DateOnly.FromDateTime(reader.GetDateTime(1));
        if (first < calendar.FirstDate)
        {
            first = calendar.FirstDate;
        }

        // Bars past the calendar's rules have no session to match: they fail the session rule, row by row.
        if (last > calendar.LastDate)
        {
            last = calendar.LastDate;
        }

        if (last < first)
        {
            return;
        }

        using var appender = _connection.CreateAppender("temp", "main", "qp_sess");
        foreach (var session in calendar.Sessions(first, last))
        {
            // The intraday join looks a bar up by the UTC date of (end − 1 µs), which assumes a session
            // does not span a UTC midnight except by closing exactly at it — true of every calendar here.
            appender.CreateRow()
                .AppendValue(session.ToDateTime(TimeOnly.MinValue))
                .AppendValue(DateTime.SpecifyKind(calendar.SessionOpenUtc(session), DateTimeKind.Unspecified))
                .AppendValue(DateTime.SpecifyKind(calendar.SessionCloseUtc(session), DateTimeKind.Unspecified))
                .EndRow();
        }
    }

    private static DateTime TruncateToMicroseconds(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
