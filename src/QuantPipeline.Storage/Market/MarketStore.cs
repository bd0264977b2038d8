using DuckDB.NET.Data;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// The market store: an embedded DuckDB file. Bulk loads go through DuckDB's appender inside one
/// transaction, so a failed ingest leaves the store as it was.
/// </summary>
public sealed class MarketStore : IDisposable
{
    private readonly DuckDBConnection _connection;

    private MarketStore(DuckDBConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    public static MarketStore Open(string path, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(full))
        {
            throw new FileNotFoundException($"Market store '{full}' does not exist; ingest data first (qp demo creates one).", full);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new DuckDBConnection($"Data Source={full}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : string.Empty)}");
        connection.Open();
        var store = new MarketStore(connection, full);
        if (!readOnly)
        {
            store.EnsureSchema();
        }

        return store;
    }

    private void EnsureSchema()
    {
        Execute("""
            CREATE TABLE IF NOT EXISTS daily_bars (
                symbol VARCHAR NOT NULL,
                date DATE NOT NULL,
                open DOUBLE NOT NULL,
                high DOUBLE NOT NULL,
                low DOUBLE NOT NULL,
                close DOUBLE NOT NULL,
                volume DOUBLE NOT NULL,
                ingested_at TIMESTAMP NOT NULL,
                PRIMARY KEY (symbol, date)
            )
            """);
    }

    /// <summary>Appends daily bars in one transaction; returns the number stored.</summary>
    public long IngestDailyBars(IEnumerable<Bar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var ingestedAt = DateTime.UtcNow;
        long count = 0;
        using var transaction = _connection.BeginTransaction();
        try
        {
            using (var appender = _connection.CreateAppender("daily_bars"))
            {
                foreach (var bar in bars)
                {
                    appender.CreateRow()
                        .AppendValue(bar.Symbol)
                        .AppendValue(DateOnly.FromDateTime(bar.Timestamp))
                        .AppendValue(bar.Open)
                        .AppendValue(bar.High)
                        .AppendValue(bar.Low)
                        .AppendValue(bar.Close)
                        .AppendValue(bar.Volume)
                        .AppendValue(ingestedAt)
                        .EndRow();
                    count++;
                }
            }

            transaction.Commit();
        }
        catch
        {
            transaction.Rollback();
            throw;
        }

        return count;
    }

    public long CountDailyBars() => Convert.ToInt64(Scalar("SELECT count(*) FROM daily_bars"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Loads the daily panel for dates in [from, to] aligned to the distinct stored dates, NaN where a bar is missing.
    /// </summary>
    public Panel LoadDailyPanel(DateOnly from, DateOnly to, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var dates = new List<DateTime>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT date FROM daily_bars WHERE date BETWEEN $from AND $to ORDER BY date";
            cmd.Parameters.Add(new DuckDBParameter("from", from));
            cmd.Parameters.Add(new DuckDBParameter("to", to));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                dates.Add(ToUtcDate(reader.GetValue(0)));
            }
        }

        var symbols = new List<string>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT symbol FROM daily_bars WHERE date BETWEEN $from AND $to ORDER BY symbol";
            cmd.Parameters.Add(new DuckDBParameter("from", from));
            cmd.Parameters.Add(new DuckDBParameter("to", to));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                symbols.Add(reader.GetString(0));
            }
        }

        var panel = new Panel(dates, symbols);
        var dateIndex = dates.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        var symbolIndex = symbols.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i, StringComparer.Ordinal);
        var buffers = fields.Select(_ => panel.NewBuffer()).ToArray();
        using (var cmd = _connection.CreateCommand())
        {
            foreach (var field in fields)
            {
                if (field is not ("open" or "high" or "low" or "close" or "volume"))
                {
                    throw new ArgumentException($"Unknown bar field '{field}'; stored fields are open, high, low, close, volume.", nameof(fields));
                }
            }

            cmd.CommandText = $"SELECT symbol, date, {string.Join(", ", fields)} FROM daily_bars WHERE date BETWEEN $from AND $to";
            cmd.Parameters.Add(new DuckDBParameter("from", from));
            cmd.Parameters.Add(new DuckDBParameter("to", to));
            using var reader = cmd.ExecuteReader();
            var n = symbols.Count;
            while (reader.Read())
            {
                var cell = dateIndex[ToUtcDate(reader.GetValue(1))] * n + symbolIndex[reader.GetString(0)];
                for (var f = 0; f < fields.Count; f++)
                {
                    buffers[f][cell] = (float)reader.GetDouble(2 + f);
                }
            }
        }

        for (var f = 0; f < fields.Count; f++)
        {
            panel.SetField(fields[f], buffers[f]);
        }

        return panel;
    }

    /// <summary>A content hash of the stored daily bars in [from, to]: the data snapshot id for lineage.</summary>
    public string SnapshotId(DateOnly from, DateOnly to)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT coalesce(sum(hash(symbol, date, open, high, low, close, volume)::HUGEINT), 0)::VARCHAR, count(*)
            FROM daily_bars WHERE date BETWEEN $from AND $to
            """;
        cmd.Parameters.Add(new DuckDBParameter("from", from));
        cmd.Parameters.Add(new DuckDBParameter("to", to));
        using var reader = cmd.ExecuteReader();
        reader.Read();
        var text = $"daily_bars|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}|{reader.GetString(0)}|{reader.GetInt64(1)}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static DateTime ToUtcDate(object value) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        DateTime dt => DateTime.SpecifyKind(dt.Date, DateTimeKind.Utc),
        _ => throw new InvalidCastException($"Unexpected date value of type {value.GetType()}."),
    };

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose() => _connection.Dispose();
}
