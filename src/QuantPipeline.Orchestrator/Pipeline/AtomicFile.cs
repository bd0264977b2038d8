namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>Writes a file so that readers see either the old content or the complete new content.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
