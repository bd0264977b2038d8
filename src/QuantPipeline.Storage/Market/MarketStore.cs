using System.Globalization;
using DuckDB.NET.Data;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// The market store: an embedded DuckDB file holding bars, symbols, corporate actions and universe
/// membership point in time — every fact carries when it became known, and corrections are new
/// versions. The schema is versioned and migrated forward on read-write open; readers open read-only.
/// </summary>
public sealed partial class MarketStore : IDisposable
{
    /// <summary>The knowledge time that sees everything stored.</summary>
    public static readonly DateTime Latest = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private readonly DuckDBConnection _connection;

    private MarketStore(DuckDBConnection connection, string path, bool readOnly)
    {
        _connection = connection;
        Path = path;
        IsReadOnly = readOnly;
    }

    public string Path { get; }

    public bool IsReadOnly { get; }

    /// <summary>The schema version of the open store.</summary>
    public int SchemaVersion => ReadSchemaVersion();

    public static int CurrentSchemaVersion => StoreSchema.CurrentVersion;

    public static MarketStore Open(string path, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(full))
        {
            throw new FileNotFoundException($"Market store '{full}' does not exist; ingest data first (qp ingest, or qp demo which creates one).", full);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new DuckDBConnection($"Data Source={full}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : string.Empty)}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw new InvalidDataException(
                Directory.Exists(full)
                    ? $"Market store '{full}' is a directory; give the path of the store file (e.g. {System.IO.Path.Combine(full, "market.duckdb")})."
                    : $"Market store '{full}' could not be opened as a DuckDB database ({FirstLine(e.Message)}). Give the path of a market store, or a new path to create one; the file was left as it was.",
                e);
        }

        var store = new MarketStore(connection, full, readOnly);
        try
        {
            // All timestamps in the store are naive UTC; conversions from source zones are explicit.
            store.Execute("SET TimeZone = 'UTC'");
            if (readOnly)
            {
                var version = store.ReadSchemaVersion();
                if (version != StoreSchema.CurrentVersion)
                {
                    throw new InvalidOperationException(
                        $"Market store '{full}' has schema version {version}; this build reads version {StoreSchema.CurrentVersion}. Open it once read-write (for example with qp ingest) to migrate it.");
                }
            }
            else
            {
                store.Migrate();
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    /// <summary>Appends daily bars as one batch (WEEKDAY calendar, reject policy, symbols registered on first sight); returns the number stored.</summary>
    public long IngestDailyBars(IEnumerable<Bar> bars) =>
        IngestBars(bars, new BarIngestOptions { Calendar = FiveDayCalendar.Instance.Name, AddUnknownSymbols = true }).RowsStored;

    /// <summary>Distinct (symbol, date) daily bars visible now.</summary>
    public long CountDailyBars() => ToLong(Scalar("SELECT count(*) FROM (SELECT DISTINCT symbol, date FROM daily_bars)"));

    /// <summary>
    /// Loads the latest known daily bars for dates in [from, to], aligned to the distinct stored dates, NaN where a bar is missing.
    /// </summary>
    public Panel LoadDailyPanel(DateOnly from, DateOnly to, IReadOnlyList<string> fields) => LoadDailyPanel(from, to, fields, adjustAsOf: null);

    /// <summary>
    /// As <see cref="LoadDailyPanel(DateOnly, DateOnly, IReadOnlyList{string})"/>; with <paramref name="adjustAsOf"/>, prices and
    /// volumes are adjusted for the splits and dividends known and effective by that date, as the training panel is.
    /// </summary>
    public Panel LoadDailyPanel(DateOnly from, DateOnly to, IReadOnlyList<string> fields, DateOnly? adjustAsOf)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var dates = new List<DateTime>();
        using (var cmd = Command("SELECT DISTINCT date FROM daily_bars WHERE date BETWEEN $from AND $to ORDER BY date", ("from", from), ("to", to)))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                dates.Add(ToUtcDate(reader.GetValue(0)));
            }
        }

        var panel = LoadPanelAt(dates, BarFrequency.Daily, fields, symbols: null, Latest, from, to);
        if (adjustAsOf is { } asOf)
        {
            ApplyCorporateActions(panel, BarFrequency.Daily, fields, asOf, Latest);
        }

        return panel;
    }

    /// <summary>A content hash of the latest known daily bars in [from, to]: the data snapshot id for lineage.</summary>
    public string SnapshotId(DateOnly from, DateOnly to) =>
        SnapshotId(new PanelRequest { From = from, To = to, Calendar = FiveDayCalendar.Instance.Name, Fields = BarFields.All });

    public void Dispose() => _connection.Dispose();

    internal static DateTime ToUtcDate(object value) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        DateTime dt => DateTime.SpecifyKind(dt.Date, DateTimeKind.Utc),
        _ => throw new InvalidCastException($"Unexpected date value of type {value.GetType()}."),
    };

    internal static long ToLong(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    internal static string SqlString(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private void Migrate()
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)");
        var version = ReadSchemaVersion();
        for (var step = version + 1; step <= StoreSchema.CurrentVersion; step++)
        {
            using var transaction = _connection.BeginTransaction();
            Execute(StoreSchema.Migrations[step - 1]);
            using (var cmd = Command("INSERT INTO schema_version VALUES ($v, $t)", ("v", step), ("t", DateTime.UtcNow)))
            {
                cmd.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private int ReadSchemaVersion()
    {
        var hasVersionTable = ToLong(Scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_version' AND NOT temporary")) > 0;
        if (hasVersionTable)
        {
            var v = Scalar("SELECT max(version) FROM schema_version");
            if (v is not null and not DBNull)
            {
                return Convert.ToInt32(v, CultureInfo.InvariantCulture);
            }
        }

        // Stores written before versioning hold the schema-1 daily_bars table and nothing else.
        return ToLong(Scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'daily_bars' AND NOT temporary")) > 0 ? 1 : 0;
    }

    private void EnsureWritable()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"Market store '{Path}' is open read-only; open it read-write to change it.");
        }
    }

    private DuckDBCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new DuckDBParameter(name, value));
        }

        return cmd;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private long ExecuteCount(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteScalar();
    }

    /// <summary>The first line of a DuckDB error, without its "Invalid Input Error:"-style prefix: the part a user can act on.</summary>
    internal static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        var colon = line.IndexOf("Error: ", StringComparison.Ordinal);
        return colon >= 0 && colon < 40 ? line[(colon + "Error: ".Length)..] : line;
    }
}
