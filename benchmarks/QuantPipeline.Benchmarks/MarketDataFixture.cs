using DuckDB.NET.Data;
using QuantPipeline.Core.Calendars;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// Builds the market-data benchmark inputs with DuckDB SQL (seconds, not minutes): a Parquet file of
/// N symbols × the XNYS session minutes of [from, to], sorted by symbol then time, valid under every rule.
/// </summary>
internal static class MarketDataFixture
{
    public static IReadOnlyList<string> Symbols(int n) => Enumerable.Range(0, n).Select(i => $"SYN{i:D4}").ToArray();

    public static string WriteMinuteParquet(string path, int symbols, DateOnly from, DateOnly to)
    {
        using var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        Execute(c, "CREATE TABLE ts (t INTEGER, ts TIMESTAMP)");
        using (var appender = c.CreateAppender("ts"))
        {
            var minutes = XnysCalendar.Instance.MinutesInRange(from, to);
            for (var i = 0; i < minutes.Count; i++)
            {
                appender.CreateRow().AppendValue(i).AppendValue(DateTime.SpecifyKind(minutes[i], DateTimeKind.Unspecified)).EndRow();
            }
        }

        Execute(c, $"""
            COPY (
                SELECT 'SYN' || lpad(s.i::VARCHAR, 4, '0') AS symbol, ts.ts AS "timestamp",
                       p AS open, p * 1.001 AS high, p * 0.999 AS low, p AS close, (100 + hash(s.i, ts.t) % 5000)::DOUBLE AS volume
                FROM range({symbols}) s(i) CROSS JOIN ts,
                     LATERAL (SELECT 20 + s.i % 200 + (hash(s.i * 7919 + ts.t) % 10000) / 1000.0 AS p)
                ORDER BY s.i, ts.t
            ) TO '{path}' (FORMAT parquet, COMPRESSION zstd)
            """);
        return path;
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
