using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;

namespace QuantPipeline.Storage.Market;

/// <summary>
/// Stages an Arrow IPC file (file or stream format) as a temporary DuckDB table through the appender:
/// DuckDB's own Arrow IPC reader is an extension that is not bundled, while the Arrow C# library is.
/// Numbers become DOUBLE, times become text with their offset so the same typing SQL serves all sources.
/// </summary>
internal static class ArrowIpcStaging
{
    public static void Stage(DuckDBConnection connection, string path, string table)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[6];
        var isFileFormat = stream.Read(magic) == 6 && magic.SequenceEqual("ARROW1"u8);
        stream.Position = 0;
        using var reader = isFileFormat ? new ArrowFileReader(stream) : new ArrowStreamReader(stream);
        var batch = reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult();
        if (batch is null)
        {
            throw new InvalidDataException($"{path}: the Arrow IPC file holds no record batch.");
        }

        var schema = batch.Schema;
        var columns = schema.FieldsList.Select(f => $"\"{f.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" {SqlType(f.DataType)}");
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"CREATE TEMP TABLE {table} (__row BIGINT, {string.Join(", ", columns)})";
            cmd.ExecuteNonQuery();
        }

        long row = 0;
        using var appender = connection.CreateAppender("temp", "main", table);
        while (batch is not null)
        {
            using (batch)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    var r = appender.CreateRow();
                    r.AppendValue(++row);
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        AppendCell(r, batch.Column(c), i);
                    }

                    r.EndRow();
                }
            }

            batch = reader.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string SqlType(IArrowType type) => type switch
    {
        StringType or LargeStringType or StringViewType => "VARCHAR",
        TimestampType or Date32Type or Date64Type => "VARCHAR",
        NumberType => "DOUBLE",
        _ => throw new NotSupportedException($"Arrow column type {type.Name} is not supported for bars; use string, number, date or timestamp columns."),
    };

    private static void AppendCell(IDuckDBAppenderRow row, IArrowArray array, int i)
    {
        if (array.IsNull(i))
        {
            row.AppendNullValue();
            return;
        }

        switch (array)
        {
            case StringArray s:
                row.AppendValue(s.GetString(i));
                break;
            case TimestampArray t:
                var type = (TimestampType)t.Data.DataType;
                var value = t.GetTimestamp(i)!.Value;
                row.AppendValue(string.IsNullOrEmpty(type.Timezone)
                    ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)
                    : value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff+00:00", CultureInfo.InvariantCulture));
                break;
            case Date32Array d:
                row.AppendValue(d.GetDateOnly(i)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Date64Array d:
                row.AppendValue(d.GetDateOnly(i)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DoubleArray d:
                row.AppendValue(d.GetValue(i));
                break;
            case FloatArray f:
                row.AppendValue((double)f.GetValue(i)!.Value);
                break;
            case Int64Array l:
                row.AppendValue((double)l.GetValue(i)!.Value);
                break;
            case Int32Array n:
                row.AppendValue((double)n.GetValue(i)!.Value);
                break;
            default:
                throw new NotSupportedException($"Arrow column type {array.Data.DataType.Name} is not supported for bars; use string, float64/float32/int64/int32, date or timestamp columns.");
        }
    }
}
