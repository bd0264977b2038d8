namespace QuantPipeline.Storage.Tests;

/// <summary>A temporary folder for store files and source files, removed after the test.</summary>
public sealed class TestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("qp-store-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public string Write(string name, string content)
    {
        var path = Path(name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
