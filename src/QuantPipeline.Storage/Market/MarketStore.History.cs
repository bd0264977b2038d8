using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Apache.Arrow;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// Point-in-time reads: a fact is visible at knowledge time K when it became available at or before K
/// and no later version of it was available by K. Panels are filled from DuckDB's Arrow export.
/// </summary>
public sealed partial class MarketStore
{
    /// <summary>Loads a time-major panel aligned to the calendar's sessions (daily) or session minutes, as known at <see cref="PanelRequest.KnownAt"/>.</summary>
    public Panel LoadPanel(PanelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        BarFields.Check(request.Fields);
        if (request.To < request.From)
        {
            throw new ArgumentException($"Panel range ends ({request.To:yyyy-MM-dd}) before it starts ({request.From:yyyy-MM-dd}).", nameof(request));
        }

        var calendar = ExchangeCalendars.Get(request.Calendar);
        IReadOnlyList<DateTime> timestamps = request.Frequency == BarFrequency.Daily
            ? calendar.Sessions(request.From, request.To).Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).ToList()
            : calendar.MinutesInRange(request.From, request.To);
        var symbols = request.Symbols
            ?? (request.Universe is { } u ? UniverseSymbols(u, request.From, request.To, request.KnownAt) : null);
        var panel = LoadPanelAt(timestamps, request.Frequency, request.Fields, symbols, request.KnownAt, request.From, request.To);
        if (request.Universe is not null)
        {
            FillMembership(panel, request.Frequency, request.Universe, request.KnownAt);
        }

        if (request.AdjustAsOf is { } adjustAsOf)
        {
            ApplyCorporateActions(panel, request.Frequency, request.Fields, adjustAsOf, request.KnownAt);
        }

        return panel;
    }

    /// <summary>
    /// The snapshot id of a query: a SHA-256 (first 16 hex digits) over the request and every byte the
    /// query returns (timestamps, symbols, fields, membership). Recorded in the snapshots table when writable.
    /// </summary>
    public string SnapshotId(PanelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SnapshotId(request, LoadPanel(request));
    }

    /// <summary>The snapshot id of an already loaded panel for <paramref name="request"/>.</summary>
    public string SnapshotId(PanelRequest request, Panel panel)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(panel);
        var definition = request.Describe();
        var id = Convert.ToHexStringLower(PanelHash(definition, panel, request.Fields))[..16];
        if (!IsReadOnly)
        {
            Execute("INSERT INTO snapshots VALUES ($id, $at, $def) ON CONFLICT DO NOTHING", ("id", id), ("at", DateTime.UtcNow), ("def", definition));
        }

        return id;
    }

    internal static byte[] PanelHash(string definition, Panel panel, IReadOnlyList<string> fields)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(definition));
        foreach (var t in panel.Timestamps)
        {
            hash.AppendData(BitConverter.GetBytes(t.Ticks));
        }

        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\n', panel.Symbols)));
        foreach (var field in fields)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(field));
            hash.AppendData(MemoryMarshal.AsBytes(panel.Field(field).AsSpan()));
        }

        hash.AppendData(MemoryMarshal.AsBytes(panel.Membership.AsSpan()));
        return hash.GetHashAndReset();
    }

    private static string Visible(string alias) =>
        $"{alias}.available_at <= $known AND ({alias}.superseded_at IS NULL OR {alias}.superseded_at > $known)";

    private Panel LoadPanelAt(IReadOnlyList<DateTime> timestamps, BarFrequency frequency, IReadOnlyList<string> fields, IReadOnlyList<string>? symbols, DateTime knownAt, DateOnly from, DateOnly to)
    {
        BarFields.Check(fields);
        var daily = frequency == BarFrequency.Daily;
        var table = daily ? "daily_bars" : "intraday_bars";
        var time = daily ? "b.date" : "b.ts";
        object lo = daily ? from : timestamps.Count > 0 ? DateTime.SpecifyKind(timestamps[0], DateTimeKind.Unspecified) : DateTime.MinValue;
        object hi = daily ? to : timestamps.Count > 0 ? DateTime.SpecifyKind(timestamps[^1], DateTimeKind.Unspecified) : DateTime.MinValue;
        var known = DateTime.SpecifyKind(knownAt, DateTimeKind.Unspecified);
        symbols ??= SymbolsWithBars(daily, lo, hi, knownAt);
        var panel = new Panel(timestamps, symbols);
        var buffers = fields.Select(_ => panel.NewBuffer()).ToArray();
        if (panel.T == 0 || panel.N == 0)
        {
            for (var f = 0; f < fields.Count; f++)
            {
                panel.SetField(fields[f], buffers[f]);
            }

            return panel;
        }

        Execute("DROP TABLE IF EXISTS qp_q_ts");
        Execute("DROP TABLE IF EXISTS qp_q_sym");
        Execute("CREATE TEMP TABLE qp_q_ts (ts TIMESTAMP, t INTEGER)");
        Execute("CREATE TEMP TABLE qp_q_sym (symbol VARCHAR, s INTEGER)");
        using (var appender = _connection.CreateAppender("temp", "main", "qp_q_ts"))
        {
            for (var i = 0; i < timestamps.Count; i++)
            {
                appender.CreateRow().AppendValue(DateTime.SpecifyKind(timestamps[i], DateTimeKind.Unspecified)).AppendValue(i).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("temp", "main", "qp_q_sym"))
        {
            for (var i = 0; i < symbols.Count; i++)
            {
                appender.CreateRow().AppendValue(symbols[i]).AppendValue(i).EndRow();
            }
        }

        var n = panel.N;
        try
        {
            using var cmd = Command($"""
                SELECT q.t, y.s, {string.Join(", ", fields.Select(f => $"CAST(b.{f} AS FLOAT)"))}
                FROM {table} b
                JOIN qp_q_ts q ON q.ts = {(daily ? "b.date::TIMESTAMP" : "b.ts")}
                JOIN qp_q_sym y ON y.symbol = b.symbol
                WHERE {time} BETWEEN $lo AND $hi AND {Visible("b")}
                """, ("lo", lo), ("hi", hi), ("known", known));
            using var stream = cmd.ExecuteArrowStream();
            while (stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
            {
                using (batch)
                {
                    var t = ((Int32Array)batch.Column(0)).Values;
                    var s = ((Int32Array)batch.Column(1)).Values;
                    for (var f = 0; f < fields.Count; f++)
                    {
                        var column = (FloatArray)batch.Column(2 + f);
                        var values = column.Values;
                        var buffer = buffers[f];
                        for (var r = 0; r < batch.Length; r++)
                        {
                            // A NULL (an absent vwap) stays NaN.
                            if (column.NullCount == 0 || column.IsValid(r))
                            {
                                buffer[t[r] * n + s[r]] = values[r];
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            Execute("DROP TABLE IF EXISTS qp_q_ts");
            Execute("DROP TABLE IF EXISTS qp_q_sym");
        }

        for (var f = 0; f < fields.Count; f++)
        {
            panel.SetField(fields[f], buffers[f]);
        }

        return panel;
    }

    /// <summary>Symbols with a bar visible at <paramref name="knownAt"/> between <paramref name="lo"/> and <paramref name="hi"/> (dates for daily, UTC times for minutes).</summary>
    private List<string> SymbolsWithBars(bool daily, object lo, object hi, DateTime knownAt)
    {
        var found = new List<string>();
        using var cmd = Command(
            $"SELECT DISTINCT b.symbol FROM {(daily ? "daily_bars" : "intraday_bars")} b WHERE {(daily ? "b.date" : "b.ts")} BETWEEN $lo AND $hi AND {Visible("b")} ORDER BY b.symbol",
            ("lo", lo), ("hi", hi), ("known", DateTime.SpecifyKind(knownAt, DateTimeKind.Unspecified)));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>The session date of a panel timestamp: the date itself (daily) or the UTC date of the bar's end − 1 µs (minutes).</summary>
    private static DateOnly SessionDateOf(DateTime timestamp, BarFrequency frequency) =>
        frequency == BarFrequency.Daily ? DateOnly.FromDateTime(timestamp) : DateOnly.FromDateTime(timestamp.AddTicks(-10));

    private static string DateText(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
