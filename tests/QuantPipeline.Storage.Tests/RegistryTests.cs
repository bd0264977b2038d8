using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Storage.Tests;

public sealed class RegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-registry-").FullName;

    private static ModelVersionRequest Request(string name) => new(
        name,
        new DateOnly(2024, 3, 1),
        "approved",
        new Dictionary<string, double> { ["sharpe"] = 1.25, ["max_drawdown"] = -0.08 },
        new Dictionary<string, string> { ["seed"] = "7" },
        "/tmp/model.pt",
        new string('a', 64));

    [Theory]
    [InlineData("sqlite:///models.db", "/work/x", "/work/x/models.db")]
    [InlineData("sqlite:///sub/dir/models.db", "/work/x", "/work/x/sub/dir/models.db")]
    [InlineData("sqlite:////abs/models.db", "/work/x", "/abs/models.db")]
    public void Uris_follow_the_mlflow_slash_convention(string uri, string workdir, string expected)
    {
        var parsed = RegistryUri.Parse(uri, workdir);
        Assert.Equal("sqlite", parsed.Scheme);
        Assert.Equal(expected, parsed.Location);
    }

    [Fact]
    public void Postgres_uris_become_connection_strings()
    {
        var parsed = RegistryUri.Parse("postgresql://qp:s%40cret@db.example:6543/models?Timeout=5", "/tmp");
        Assert.True(parsed.IsPostgres);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(parsed.Location);
        Assert.Equal(("db.example", 6543, "models", "qp", "s@cret", 5), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.Timeout));
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(RegistryUri.Parse("postgres://u@h/d", "/tmp").Location).Port);
        Assert.Throws<FormatException>(() => RegistryUri.Parse("postgresql://u@h:5432/", "/tmp"));
    }

    [Fact]
    public void A_registry_written_before_migrations_upgrades_in_place_and_keeps_its_versions()
    {
        var path = Path.Combine(_dir, "legacy.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE model_versions (model_name TEXT NOT NULL, version INTEGER NOT NULL, as_of TEXT NOT NULL, status TEXT NOT NULL,
                    created_at TEXT NOT NULL, metrics_json TEXT NOT NULL, params_json TEXT NOT NULL, artifact_path TEXT NOT NULL,
                    artifact_sha256 TEXT NOT NULL, PRIMARY KEY (model_name, version));
                INSERT INTO model_versions VALUES ('old', 1, '2023-01-02', 'approved', '2023-01-02T10:00:00.0000000Z', '{"sharpe":0.9}', '{}', '/a.pt', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
                """;
            create.ExecuteNonQuery();
        }

        using var registry = new SqliteModelRegistry(path);
        Assert.Equal([1, 2], registry.AppliedMigrations());
        Assert.Equal(0.9, registry.GetVersion("old", 1).Metrics["sharpe"]);
        Assert.Null(registry.GetVersion("old", 1).Lineage);
        Assert.Equal(2, registry.Register(Request("old")).Version);
        Assert.Equal(["old"], registry.ListModels().Select(m => m.Name));
    }

    [Theory]
    [InlineData("mysql://host/db")]
    [InlineData("sqlite:///")]
    public void Bad_uris_are_refused_with_the_supported_forms(string uri)
    {
        var e = Assert.Throws<FormatException>(() => RegistryUri.Parse(uri, "/tmp"));
        Assert.Contains("sqlite:///", e.Message);
    }

    [Fact]
    public void Versions_number_per_model_and_keep_what_was_stored()
    {
        using var registry = SqliteModelRegistry.Open("sqlite:///reg.db", _dir);
        Assert.Equal(1, registry.Register(Request("a")).Version);
        Assert.Equal(2, registry.Register(Request("a")).Version);
        Assert.Equal(1, registry.Register(Request("b")).Version);
        var stored = registry.GetVersion("a", 2);
        Assert.Equal(1.25, stored.Metrics["sharpe"]);
        Assert.Equal(-0.08, stored.Metrics["max_drawdown"]);
        Assert.Equal("7", stored.Parameters["seed"]);
        Assert.Equal(new DateOnly(2024, 3, 1), stored.AsOf);
        Assert.Throws<KeyNotFoundException>(() => registry.GetVersion("a", 3));
    }

    [Fact]
    public void Concurrent_registrations_never_share_or_skip_a_number()
    {
        var path = Path.Combine(_dir, "concurrent.db");
        using (new SqliteModelRegistry(path))
        {
        }

        var versions = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using var registry = new SqliteModelRegistry(path);
            versions.Add(registry.Register(Request("m")).Version);
        });
        Assert.Equal(Enumerable.Range(1, 40), versions.Order());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
