using System.Reflection;
using Npgsql;
using QuantPipeline.Storage.Registry;
using Xunit.Sdk;

namespace QuantPipeline.Storage.Tests;

/// <summary>Runs a registry theory against a SQLite file.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteBackendAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["sqlite"]];
}

/// <summary>
/// Runs a registry theory against the PostgreSQL server named by QP_TEST_POSTGRES_URI. Outside CI the case is
/// skipped, with the reason shown, when the variable is unset; under CI (CI=true) it runs and fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresBackendAttribute : DataAttribute
{
    public PostgresBackendAttribute()
    {
        if (TestRegistry.PostgresUri is null && !TestRegistry.InCi)
        {
            Skip = "QP_TEST_POSTGRES_URI is not set: start a server with .ci/start-postgres.sh and export its URI to run the PostgreSQL registry tests";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgresql"]];
}

/// <summary>A fresh, empty registry per test: a temp SQLite file, or a new PostgreSQL database dropped afterwards.</summary>
public sealed class TestRegistry : IDisposable
{
    private readonly string? _adminConnection;
    private readonly string? _database;

    public TestRegistry(string backend)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("qp-registry-").FullName;
        if (backend == "sqlite")
        {
            Uri = "sqlite:///" + Path.Combine(Directory, "models.db");
            return;
        }

        var server = PostgresUri ?? throw new InvalidOperationException(
            "CI=true (or QP_REQUIRE_POSTGRES=1) but QP_TEST_POSTGRES_URI is not set: .ci/run must start PostgreSQL (.ci/start-postgres.sh) before the tests.");
        _adminConnection = RegistryUri.Parse(server, Directory).Location;
        _database = $"qp_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(_adminConnection))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {_database}";
            create.ExecuteNonQuery();
        }

        var builder = new UriBuilder(server) { Path = "/" + _database };
        Uri = builder.Uri.ToString().TrimEnd('/');
    }

    public static string? PostgresUri => Environment.GetEnvironmentVariable("QP_TEST_POSTGRES_URI") is { Length: > 0 } uri ? uri : null;

    public static bool InCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("QP_REQUIRE_POSTGRES") == "1";

    public string Uri { get; }

    public string Directory { get; }

    public ModelRegistry Open() => ModelRegistry.Open(Uri, Directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(_adminConnection);
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)";
            drop.ExecuteNonQuery();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
