namespace QuantPipeline.Storage.Registry;

/// <summary>
/// MLflow-style registry URIs. <c>sqlite:///models.db</c> (three slashes) is a path relative to the
/// working folder; <c>sqlite:////abs/models.db</c> (four) is absolute.
/// </summary>
public sealed record RegistryUri(string Scheme, string Location)
{
    public static RegistryUri Parse(string uri, string workingDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        const string sqlite = "sqlite:///";
        if (uri.StartsWith(sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var rest = uri[sqlite.Length..];
            if (rest.Length == 0 || rest == "/")
            {
                throw new FormatException($"Registry URI '{uri}' names no database file; write sqlite:///models.db (relative) or sqlite:////abs/path/models.db (absolute).");
            }

            var path = rest.StartsWith('/') ? rest : Path.GetFullPath(Path.Combine(workingDirectory, rest));
            return new RegistryUri("sqlite", path);
        }

        throw new FormatException(
            $"Unsupported registry URI '{uri}'. Supported: sqlite:///relative/path.db, sqlite:////absolute/path.db.");
    }
}
