namespace QuantPipeline.Storage.Registry;

/// <summary>The registry in a SQLite file: the default (<c>sqlite:///models.db</c>).</summary>
public sealed class SqliteModelRegistry(string databasePath)
    : ModelRegistry(new RegistryUri("sqlite", Path.GetFullPath(databasePath)))
{
    public string DatabasePath => Uri.Location;

    /// <summary>Opens a SQLite registry URI; <see cref="ModelRegistry.Open"/> also accepts PostgreSQL.</summary>
    public static new SqliteModelRegistry Open(string uri, string workingDirectory)
    {
        var parsed = RegistryUri.Parse(uri, workingDirectory);
        return parsed.IsPostgres
            ? throw new ArgumentException($"'{uri}' is a PostgreSQL registry; open it with ModelRegistry.Open.")
            : new SqliteModelRegistry(parsed.Location);
    }
}
