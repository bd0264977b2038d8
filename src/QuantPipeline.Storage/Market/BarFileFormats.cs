namespace QuantPipeline.Storage.Market;

public enum BarFileFormat
{
    Csv,
    Parquet,
    ArrowIpc,
}

public static class BarFileFormats
{
    public static BarFileFormat FromPath(string path)
    {
        var name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".csv.gz", StringComparison.Ordinal) || name.EndsWith(".txt", StringComparison.Ordinal))
        {
            return BarFileFormat.Csv;
        }

        if (name.EndsWith(".parquet", StringComparison.Ordinal) || name.EndsWith(".pq", StringComparison.Ordinal))
        {
            return BarFileFormat.Parquet;
        }

        if (name.EndsWith(".arrow", StringComparison.Ordinal) || name.EndsWith(".arrows", StringComparison.Ordinal)
            || name.EndsWith(".ipc", StringComparison.Ordinal) || name.EndsWith(".feather", StringComparison.Ordinal))
        {
            return BarFileFormat.ArrowIpc;
        }

        throw new ArgumentException($"Cannot tell the format of '{path}' from its extension; use .csv, .parquet or .arrow (Arrow IPC).", nameof(path));
    }
}
