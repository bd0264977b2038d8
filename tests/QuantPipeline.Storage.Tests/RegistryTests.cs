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
