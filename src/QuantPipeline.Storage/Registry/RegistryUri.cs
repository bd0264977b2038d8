namespace QuantPipeline.Storage.Registry;

/// <summary>
/// MLflow-style registry URIs. <c>sqlite:///models.db</c> (three slashes) is a path relative to the
/// working folder; <c>sqlite:////abs/models.db</c> (four) is absolute; <c>postgresql://user@host:port/db</c>
/// (or <c>postgres://</c>) names a PostgreSQL database shared by a team, in which case <see cref="Location"/>
/// is an Npgsql connection string.
/// </summary>
public sealed record RegistryUri(string Scheme, string Location)
{
    private const string Supported = "Supported: sqlite:///relative/path.db, sqlite:////absolute/path.db, postgresql://user[:password]@host[:port]/database.";

    public bool IsPostgres => Scheme == "postgresql";

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

        if (uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new RegistryUri("postgresql", PostgresConnectionString(uri));
        }

        throw new FormatException($"Unsupported registry URI '{uri}'. {Supported}");
    }

    private static string PostgresConnectionString(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new FormatException($"Registry URI '{uri}' is not a valid PostgreSQL URI. {Supported}");
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new FormatException($"Registry URI '{uri}' names no database; write postgresql://user@host:5432/database.");
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = database,
        };
        if (parsed.UserInfo.Length > 0)
        {
            var parts = parsed.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
        }

        return builder.ConnectionString;
    }
}
