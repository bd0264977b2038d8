namespace QuantPipeline.Orchestrator.Tests.Config;

/// <summary>Writes YAML text to a temporary file per test and loads it with a chosen environment.</summary>
public sealed class ConfigFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-config-").FullName;

    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public string Write(string yaml, string name = "qp.yaml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
