using System.Data.Common;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Storage.Tests;

/// <summary>The registry's behaviour, run identically on SQLite and PostgreSQL.</summary>
public sealed class RegistryBackendTests
{
    internal static ModelVersionRequest Request(string name, string status = "approved", int? parent = null, string sha = "") => new(
        name,
        new DateOnly(2024, 3, 1),
        status,
        new Dictionary<string, double> { ["sharpe"] = 1.25, ["max_drawdown"] = -0.08 },
        new Dictionary<string, string> { ["epochs"] = "8" },
        "/artifacts/model.pt",
        sha.Length == 64 ? sha : new string('a', 64))
    {
        Tags = new Dictionary<string, string> { ["team"] = "alpha" },
        Lineage = new ModelLineage("snap-1234", "fs-abcd", new string('c', 64), "0123456789abcdef", 7, new DateOnly(2022, 1, 3), new DateOnly(2023, 12, 1), parent)
        {
            ConfigJson = """{"seed":7}""",
        },
    };

    [Theory, SqliteBackend, PostgresBackend]
    public void Migrations_apply_once_and_a_reopened_registry_keeps_its_versions(string backend)
    {
        using var test = new TestRegistry(backend);
        using (var registry = test.Open())
        {
            Assert.Equal([1, 2], registry.AppliedMigrations());
            registry.Register(Request("m"));
        }

        using (var again = test.Open())
        {
            Assert.Equal([1, 2], again.AppliedMigrations());
            Assert.Single(again.ListVersions("m"));
        }
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Versions_number_per_model_and_keep_lineage_tags_metrics_and_actor(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        Assert.Equal(1, registry.Register(Request("a"), actor: "ana@desk").Version);
        Assert.Equal(2, registry.Register(Request("a", parent: 1)).Version);
        Assert.Equal(1, registry.Register(Request("b")).Version);

        var stored = registry.GetVersion("a", 2);
        Assert.Equal(1.25, stored.Metrics["sharpe"]);
        Assert.Equal(-0.08, stored.Metrics["max_drawdown"]);
        Assert.Equal("8", stored.Parameters["epochs"]);
        Assert.Equal("alpha", stored.Tags["team"]);
        var lineage = stored.Lineage!;
        Assert.Equal("snap-1234", lineage.DataSnapshotId);
        Assert.Equal("fs-abcd", lineage.FeatureSetVersion);
        Assert.Equal(7, lineage.Seed);
        Assert.Equal(new DateOnly(2022, 1, 3), lineage.TrainingFrom);
        Assert.Equal(new DateOnly(2023, 12, 1), lineage.TrainingTo);
        Assert.Equal(1, lineage.ParentVersion);
        Assert.Equal("""{"seed":7}""", lineage.ConfigJson);
        Assert.Equal("ana@desk", registry.GetVersion("a", 1).RegisteredBy);
        Assert.Null(registry.GetVersion("a", 1).Lineage!.ParentVersion);

        var models = registry.ListModels();
        Assert.Equal(["a", "b"], models.Select(m => m.Name));
        Assert.Equal(2, models[0].LatestVersion);
        var missing = Assert.Throws<KeyNotFoundException>(() => registry.GetVersion("a", 3));
        Assert.Contains("versions 1..2", missing.Message);
        Assert.Throws<ArgumentException>(() => registry.Register(Request("a", parent: 9)));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Registered_versions_cannot_be_updated_or_deleted(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        registry.Register(Request("m"));
        var update = Assert.ThrowsAny<DbException>(() => Execute(registry.Connection, "UPDATE model_versions SET status = 'approved', artifact_sha256 = 'x'"));
        Assert.Contains("immutable", update.Message);
        Assert.ThrowsAny<DbException>(() => Execute(registry.Connection, "DELETE FROM model_versions"));
        Assert.Equal(new string('a', 64), registry.GetVersion("m", 1).ArtifactSha256);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Promotion_moves_the_alias_and_rollback_walks_back_through_previous_holders(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        for (var i = 0; i < 3; i++)
        {
            registry.Register(Request("m"));
        }

        Assert.Null(registry.GetAlias("m", "production"));
        registry.Promote("m", 1);
        registry.Promote("m", 2);
        registry.Promote("m", 3);
        registry.Promote("m", 1, "staging");
        Assert.Equal(3, registry.GetAlias("m", "production")!.Version);

        var back = registry.Rollback("m");
        Assert.Equal((2, 3), (back.Version!.Value, back.PreviousVersion!.Value));
        Assert.Equal(2, registry.GetAlias("m", "production")!.Version);
        Assert.Equal(1, registry.Rollback("m").Version);
        Assert.Equal(1, registry.GetAlias("m", "production")!.Version);
        var exhausted = Assert.Throws<InvalidOperationException>(() => registry.Rollback("m"));
        Assert.Contains("no previous holder", exhausted.Message);
        Assert.Equal(1, registry.GetAlias("m", "staging")!.Version);

        var history = registry.AliasHistory("m", "production");
        Assert.Equal(["promote", "promote", "promote", "rollback", "rollback"], history.Select(h => h.Action));
        Assert.Equal([1, 2, 3, 2, 1], history.Select(h => h.Version!.Value));
        Assert.Equal(new int?[] { null, 1, 2, 3, 2 }, history.Select(h => h.PreviousVersion));
        Assert.Equal([1L, 2, 3, 4, 5], history.Select(h => h.Sequence));
        Assert.Equal(["registry.promote", "registry.promote", "registry.promote", "registry.promote", "registry.rollback", "registry.rollback"],
            registry.Audit.Read().Select(e => e.Action).Where(a => a != "registry.register"));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Rejected_versions_cannot_become_production_and_unknown_aliases_cannot_roll_back(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        registry.Register(Request("m", status: "rejected"));
        var e = Assert.Throws<InvalidOperationException>(() => registry.Promote("m", 1));
        Assert.Contains("rejected", e.Message);
        Assert.Null(registry.GetAlias("m", "production"));
        registry.Promote("m", 1, "candidate");
        Assert.Equal(1, registry.GetAlias("m", "candidate")!.Version);
        Assert.Throws<KeyNotFoundException>(() => registry.Promote("m", 2, "candidate"));
        var none = Assert.Throws<InvalidOperationException>(() => registry.Rollback("m"));
        Assert.Contains("promote a version first", none.Message);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Signals_for_an_as_of_are_replaced_not_duplicated(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        var day = new DateOnly(2024, 3, 1);
        registry.ReplaceSignals("m", 1, day, [("AAA", 0.5, 1), ("BBB", -0.25, 2)]);
        registry.ReplaceSignals("m", 2, day, [("AAA", 0.75, 2), ("BBB", 1.5, 1)]);
        var rows = registry.ReadSignals("m", day);
        Assert.Equal([("BBB", 2, 1.5, 1), ("AAA", 2, 0.75, 2)], rows);
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
