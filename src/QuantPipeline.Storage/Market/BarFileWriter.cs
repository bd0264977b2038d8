using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using QuantPipeline.Core.Data;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// Writes a stream of bars to CSV, Parquet or Arrow IPC without holding them in memory: Arrow and CSV are
/// written chunk by chunk; Parquet goes through a scratch DuckDB file (disk-backed, so memory stays bounded)
/// and DuckDB's own Parquet writer. Columns: symbol, date (daily) or timestamp (UTC bar end), open, high,
/// low, close, volume — the layout <see cref="MarketStore.IngestFile"/> reads.
/// </summary>
public static class BarFileWriter
{
    private const int ChunkRows = 1 << 16;

    /// <summary>Writes the bars; returns how many were written.</summary>
    public static long Write(IEnumerable<Bar> bars, string path, BarFrequency frequency)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return BarFileFormats.FromPath(full) switch
        {
            BarFileFormat.Csv => WriteCsv(bars, full, frequency),
            BarFileFormat.Parquet => WriteParquet(bars, full, frequency),
            _ => WriteArrow(bars, full, frequency),
        };
    }

    private static long WriteCsv(IEnumerable<Bar> bars, string path, BarFrequency frequency)
    {
        using var writer = new StreamWriter(path);
        var daily = frequency == BarFrequency.Daily;
        writer.WriteLine(daily ? "symbol,date,open,high,low,close,volume" : "symbol,timestamp,open,high,low,close,volume");
        long count = 0;
        var c = CultureInfo.InvariantCulture;
        foreach (var b in bars)
        {
            var time = daily ? b.Timestamp.ToString("yyyy-MM-dd", c) : b.Timestamp.ToString("yyyy-MM-ddTHH:mm:ssZ", c);
            writer.WriteLine(string.Create(c, $"{b.Symbol},{time},{b.Open:R},{b.High:R},{b.Low:R},{b.Close:R},{b.Volume:R}"));
            count++;
        }

        return count;
    }

    private static long WriteParquet(IEnumerable<Bar> bars, string path, BarFrequency frequency)
    {
        var scratch = path + ".scratch.duckdb";
        File.Delete(scratch);
        long count = 0;
        try
        {
            using var connection = new DuckDBConnection($"Data Source={scratch}");
            connection.Open();
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"CREATE TABLE bars (symbol VARCHAR, {(frequency == BarFrequency.Daily ? "date DATE" : "\"timestamp\" TIMESTAMP")}, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)";
                cmd.ExecuteNonQuery();
            }

            using (var appender = connection.CreateAppender("bars"))
            {
                foreach (var b in bars)
                {
                    var row = appender.CreateRow().AppendValue(b.Symbol);
                    row = frequency == BarFrequency.Daily
                        ? row.AppendValue(DateOnly.FromDateTime(b.Timestamp))
                        : row.AppendValue(DateTime.SpecifyKind(b.Timestamp, DateTimeKind.Unspecified));
                    row.AppendValue(b.Open).AppendValue(b.High).AppendValue(b.Low).AppendValue(b.Close).AppendValue(b.Volume).EndRow();
                    count++;
                }
            }

            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = $"COPY bars TO {MarketStore.SqlString(path)} (FORMAT parquet, COMPRESSION zstd)";
                cmd.ExecuteNonQuery();
            }
        }
        finally
        {
            File.Delete(scratch);
            File.Delete(scratch + ".wal");
        }

        return count;
    }

    private static long WriteArrow(IEnumerable<Bar> bars, string path, BarFrequency frequency)
    {
        var daily = frequency == BarFrequency.Daily;
        IArrowType timeType = daily ? Date32Type.Default : new TimestampType(TimeUnit.Microsecond, "UTC");
        var schema = new Schema.Builder()
            .Field(f => f.Name("symbol").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name(daily ? "date" : "timestamp").DataType(timeType).Nullable(false))
            .Field(f => f.Name("open").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("high").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("low").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("close").DataType(DoubleType.Default).Nullable(false))
            .Field(f => f.Name("volume").DataType(DoubleType.Default).Nullable(false))
            .Build();
        using var stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, schema);
        long count = 0;
        var chunk = new List<Bar>(ChunkRows);
        void Flush()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var symbols = new StringArray.Builder();
            var open = new DoubleArray.Builder();
            var high = new DoubleArray.Builder();
            var low = new DoubleArray.Builder();
            var close = new DoubleArray.Builder();
            var volume = new DoubleArray.Builder();
            IArrowArray time;
            if (daily)
            {
                var dates = new Date32Array.Builder();
                foreach (var b in chunk)
                {
                    dates.Append(DateOnly.FromDateTime(b.Timestamp));
                }

                time = dates.Build();
            }
            else
            {
                var stamps = new TimestampArray.Builder((TimestampType)timeType);
                foreach (var b in chunk)
                {
                    stamps.Append(new DateTimeOffset(DateTime.SpecifyKind(b.Timestamp, DateTimeKind.Utc)));
                }

                time = stamps.Build();
            }

            foreach (var b in chunk)
            {
                symbols.Append(b.Symbol);
                open.Append(b.Open);
                high.Append(b.High);
                low.Append(b.Low);
                close.Append(b.Close);
                volume.Append(b.Volume);
            }

            using var batch = new RecordBatch(schema, [symbols.Build(), time, open.Build(), high.Build(), low.Build(), close.Build(), volume.Build()], chunk.Count);
            writer.WriteRecordBatch(batch);
            chunk.Clear();
        }

        foreach (var b in bars)
        {
            chunk.Add(b);
            count++;
            if (chunk.Count == ChunkRows)
            {
                Flush();
            }
        }

        Flush();
        writer.WriteEnd();
        return count;
    }
}
