using System.Text.Json;
using Npgsql;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// The CLI and batch inference against a PostgreSQL registry (QP_TEST_POSTGRES_URI).
/// </summary>
[Collection(DeployedDemoCollection.Name)]
public sealed class PostgresDeploymentTests(DeployedDemo demo)
{
    [PostgresFact]
    public async Task Promotion_inference_and_audit_work_the_same_on_a_postgresql_registry()
    {
        var server = Environment.GetEnvironmentVariable("QP_TEST_POSTGRES_URI");
        Assert.False(string.IsNullOrEmpty(server), "CI=true (or QP_REQUIRE_POSTGRES=1) but QP_TEST_POSTGRES_URI is not set: .ci/run starts PostgreSQL with .ci/start-postgres.sh.");

        var admin = RegistryUri.Parse(server, demo.Directory).Location;
        var database = $"qp_e2e_{Guid.NewGuid():N}";
        Execute(admin, $"CREATE DATABASE {database}");
        var uri = new UriBuilder(server) { Path = "/" + database }.Uri.ToString().TrimEnd('/');
        var dir = demo.Copy();
        try
        {
            using (var sqlite = ModelRegistry.Open("sqlite:///models.db", dir))
            using (var postgres = ModelRegistry.Open(uri, dir))
            {
                var v1 = sqlite.GetVersion("demo_mlp", 1);
                var artifact = Path.Combine(dir, Path.GetRelativePath(demo.Directory, v1.ArtifactPath));
                postgres.Register(new ModelVersionRequest(v1.ModelName, v1.AsOf, v1.Status, v1.Metrics, v1.Parameters, artifact, v1.ArtifactSha256) { Tags = v1.Tags, Lineage = v1.Lineage });
            }

            var (exit, output, error) = await QpProcess.RunAsync("registry", "promote", "demo_mlp", "1", "--registry", uri, "--workdir", dir);
            Assert.True(exit == 0, error);
            Assert.Contains("demo_mlp@production: none → 1", output);
            (exit, output, error) = await QpProcess.RunAsync("infer", "demo_mlp", "--as-of", "2023-12-29", "--registry", uri, "--workdir", dir, "--json");
            Assert.True(exit == 0, error);
            Assert.Equal(50, JsonDocument.Parse(output).RootElement.GetProperty("rows").GetInt32());
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(demo.Directory, "signals", "demo_mlp_2023-12-29.csv")),
                File.ReadAllBytes(Path.Combine(dir, "signals", "demo_mlp_2023-12-29.csv")));
            using (var postgres = ModelRegistry.Open(uri, dir))
            {
                Assert.Equal(50, postgres.ReadSignals("demo_mlp", new DateOnly(2023, 12, 29)).Count);
                Assert.Equal(["registry.register", "registry.promote", "deploy.signals"], postgres.Audit.Read().Select(e => e.Action));
            }

            (exit, output, _) = await QpProcess.RunAsync("audit", "verify", "--registry", uri);
            Assert.Equal(0, exit);
            Assert.Contains("intact: 3 entries", output);
            Execute(RegistryUri.Parse(uri, dir).Location, "UPDATE audit_log SET actor = 'mallory@elsewhere' WHERE seq = 2");
            (exit, _, error) = await QpProcess.RunAsync("audit", "verify", "--registry", uri);
            Assert.Equal(1, exit);
            Assert.Contains("broken at entry 2", error);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
