using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace QuantPipeline.Storage.Registry;

/// <summary>
/// Model registry in a SQLite file. Versions are numbered per model inside an immediate (write-locking)
/// transaction, so concurrent registrations never share or skip a number; rows are never updated.
/// </summary>
public sealed class SqliteModelRegistry : IDisposable
{
    private readonly SqliteConnection _connection;

    public SqliteModelRegistry(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        DatabasePath = databasePath;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA busy_timeout=30000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS model_versions (
                model_name TEXT NOT NULL,
                version INTEGER NOT NULL,
                as_of TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at TEXT NOT NULL,
                metrics_json TEXT NOT NULL,
                params_json TEXT NOT NULL,
                artifact_path TEXT NOT NULL,
                artifact_sha256 TEXT NOT NULL,
                PRIMARY KEY (model_name, version)
            );
            """);
    }

    public string DatabasePath { get; }

    public static SqliteModelRegistry Open(string uri, string workingDirectory)
    {
        var parsed = RegistryUri.Parse(uri, workingDirectory);
        return new SqliteModelRegistry(parsed.Location);
    }

    public ModelVersion Register(ModelVersionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelName);
        if (request.ArtifactSha256.Length != 64)
        {
            throw new ArgumentException("Artifact SHA-256 must be 64 hex characters.", nameof(request));
        }

        var created = DateTime.UtcNow;
        using var transaction = _connection.BeginTransaction(deferred: false);
        int version;
        using (var next = _connection.CreateCommand())
        {
            next.Transaction = transaction;
            next.CommandText = "SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE model_name = $name";
            next.Parameters.AddWithValue("$name", request.ModelName);
            version = Convert.ToInt32(next.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO model_versions
                    (model_name, version, as_of, status, created_at, metrics_json, params_json, artifact_path, artifact_sha256)
                VALUES ($name, $version, $asOf, $status, $created, $metrics, $params, $path, $sha)
                """;
            insert.Parameters.AddWithValue("$name", request.ModelName);
            insert.Parameters.AddWithValue("$version", version);
            insert.Parameters.AddWithValue("$asOf", request.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$status", request.Status);
            insert.Parameters.AddWithValue("$created", created.ToString("O", CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$metrics", JsonSerializer.Serialize(request.Metrics));
            insert.Parameters.AddWithValue("$params", JsonSerializer.Serialize(request.Parameters));
            insert.Parameters.AddWithValue("$path", request.ArtifactPath);
            insert.Parameters.AddWithValue("$sha", request.ArtifactSha256);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return new ModelVersion(request.ModelName, version, request.AsOf, request.Status, created, request.Metrics, request.Parameters, request.ArtifactPath, request.ArtifactSha256);
    }

    public IReadOnlyList<ModelVersion> ListVersions(string modelName)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT model_name, version, as_of, status, created_at, metrics_json, params_json, artifact_path, artifact_sha256 FROM model_versions WHERE model_name = $name ORDER BY version";
        cmd.Parameters.AddWithValue("$name", modelName);
        using var reader = cmd.ExecuteReader();
        var versions = new List<ModelVersion>();
        while (reader.Read())
        {
            versions.Add(new ModelVersion(
                reader.GetString(0),
                reader.GetInt32(1),
                DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(3),
                DateTime.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5))!,
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6))!,
                reader.GetString(7),
                reader.GetString(8)));
        }

        return versions;
    }

    public ModelVersion GetVersion(string modelName, int version) =>
        ListVersions(modelName).FirstOrDefault(v => v.Version == version)
        ?? throw new KeyNotFoundException($"Model '{modelName}' has no version {version} in registry '{DatabasePath}'.");

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
