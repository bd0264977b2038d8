using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Parquet.Serialization;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Artifacts;

namespace QuantPipeline.Orchestrator.Deploy;

/// <summary>One ranked signal, stamped with the model version that produced it and the as-of date.</summary>
public sealed class SignalRow
{
    public string AsOf { get; set; } = string.Empty;

    public string Symbol { get; set; } = string.Empty;

    public double Score { get; set; }

    public int Rank { get; set; }

    public string ModelName { get; set; } = string.Empty;

    public int ModelVersion { get; set; }
}

/// <summary>
/// Writes the signals for one (model, as-of) as CSV, Parquet and Arrow IPC. Each file is written under a
/// temporary name and renamed into place, and a completion marker listing every file and its SHA-256 is
/// written last: consumers read a set only when its marker exists, so a crash never exposes a partial set.
/// Rewriting the same rows gives byte-identical CSV and Arrow files, so reruns are idempotent.
/// </summary>
public static class SignalFiles
{
    public static string Stem(string directory, string modelName, DateOnly asOf) =>
        Path.Combine(directory, $"{modelName}_{asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");

    /// <summary>Writes all formats and the marker; returns the CSV path (the primary file).</summary>
    public static string Write(string directory, string modelName, int version, DateOnly asOf, IReadOnlyList<SignalRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(directory);
        var stem = Stem(directory, modelName, asOf);
        var marker = stem + ".complete.json";

        // The old marker goes first: while the files are being replaced the set is not complete.
        File.Delete(marker);
        var csv = stem + ".csv";
        AtomicFile.WriteAllText(csv, Csv(rows));
        WriteAtomically(stem + ".parquet", stream => ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult());
        WriteAtomically(stem + ".arrow", stream => WriteArrow(stream, modelName, version, asOf, rows));
        var files = new[] { csv, stem + ".parquet", stem + ".arrow" }
            .Select(f => new { file = Path.GetFileName(f), sha256 = ContentHash.Sha256OfFile(f) })
            .ToList();
        AtomicFile.WriteAllText(marker, JsonSerializer.Serialize(new
        {
            model_name = modelName,
            model_version = version,
            as_of = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            rows = rows.Count,
            files,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return csv;
    }

    public static bool IsComplete(string directory, string modelName, DateOnly asOf) => File.Exists(Stem(directory, modelName, asOf) + ".complete.json");

    private static string Csv(IReadOnlyList<SignalRow> rows)
    {
        var builder = new StringBuilder();
        builder.AppendLine("as_of,symbol,score,rank,model_name,model_version");
        foreach (var r in rows)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{r.AsOf},{r.Symbol},{r.Score:R},{r.Rank},{r.ModelName},{r.ModelVersion}\n");
        }

        return builder.ToString();
    }

    private static void WriteArrow(Stream stream, string modelName, int version, DateOnly asOf, IReadOnlyList<SignalRow> rows)
    {
        IArrowArray[] columns =
        [
            new StringArray.Builder().AppendRange(rows.Select(r => r.AsOf)).Build(),
            new StringArray.Builder().AppendRange(rows.Select(r => r.Symbol)).Build(),
            new DoubleArray.Builder().AppendRange(rows.Select(r => r.Score)).Build(),
            new Int32Array.Builder().AppendRange(rows.Select(r => r.Rank)).Build(),
            new StringArray.Builder().AppendRange(rows.Select(r => r.ModelName)).Build(),
            new Int32Array.Builder().AppendRange(rows.Select(r => r.ModelVersion)).Build(),
        ];
        var schema = new Schema.Builder()
            .Field(f => f.Name("as_of").DataType(Apache.Arrow.Types.StringType.Default).Nullable(false))
            .Field(f => f.Name("symbol").DataType(Apache.Arrow.Types.StringType.Default).Nullable(false))
            .Field(f => f.Name("score").DataType(Apache.Arrow.Types.DoubleType.Default).Nullable(false))
            .Field(f => f.Name("rank").DataType(Apache.Arrow.Types.Int32Type.Default).Nullable(false))
            .Field(f => f.Name("model_name").DataType(Apache.Arrow.Types.StringType.Default).Nullable(false))
            .Field(f => f.Name("model_version").DataType(Apache.Arrow.Types.Int32Type.Default).Nullable(false))
            .Metadata("model_name", modelName)
            .Metadata("model_version", version.ToString(CultureInfo.InvariantCulture))
            .Metadata("as_of", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .Build();
        using var stamped = new RecordBatch(schema, columns, rows.Count);
        using var writer = new ArrowFileWriter(stream, schema, leaveOpen: true);
        writer.WriteRecordBatch(stamped);
        writer.WriteEnd();
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
