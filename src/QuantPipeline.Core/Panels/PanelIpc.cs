using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace QuantPipeline.Core.Panels;

/// <summary>Arrow IPC file (random access, ".arrow") and stream (sequential batches) reading and writing of panels.</summary>
public static class PanelIpc
{
    public static void WriteFile(Panel panel, string path)
    {
        using var batch = PanelArrow.ToRecordBatch(panel);
        using var stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, batch.Schema);
        writer.WriteRecordBatch(batch);
        writer.WriteEnd();
    }

    /// <summary>Reads every batch of an IPC file and concatenates them along time.</summary>
    public static Panel ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new ArrowFileReader(stream);
        return ReadAll(reader, path);
    }

    /// <summary>Writes the panel as an IPC stream, in batches of at most <paramref name="rowsPerBatch"/> timestamps.</summary>
    public static void WriteStream(Panel panel, Stream destination, int rowsPerBatch = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerBatch, 1);
        using var batch = PanelArrow.ToRecordBatch(panel);
        using var writer = new ArrowStreamWriter(destination, batch.Schema, leaveOpen: true);
        writer.WriteStart();
        for (var start = 0; start < Math.Max(panel.T, 1); start += rowsPerBatch)
        {
            // RecordBatch.Slice shares the buffers: each written batch is a window over the panel's memory.
            writer.WriteRecordBatch(batch.Slice(start, Math.Min(rowsPerBatch, panel.T - start)));
        }

        writer.WriteEnd();
    }

    /// <summary>Reads an IPC stream one batch at a time, for <see cref="ChunkedEvaluation"/>: only one batch is in memory.</summary>
    public static IEnumerable<Panel> ReadStreamChunks(Stream source)
    {
        using var reader = new ArrowStreamReader(source, leaveOpen: true);
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                yield return PanelArrow.ToPanel(batch);
            }
        }
    }

    public static Panel ReadStream(Stream source)
    {
        using var reader = new ArrowStreamReader(source, leaveOpen: true);
        return ReadAll(reader, "stream");
    }

    private static Panel ReadAll(ArrowStreamReader reader, string where)
    {
        var parts = new List<Panel>();
        while (reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                parts.Add(PanelArrow.ToPanel(batch));
            }
        }

        if (parts.Count == 0)
        {
            throw new InvalidDataException($"{where}: the Arrow IPC data holds no record batch; write panels with PanelIpc.");
        }

        return parts.Count == 1 ? parts[0] : Panel.ConcatTime(parts);
    }
}
