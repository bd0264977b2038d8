using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QuantPipeline.Storage.Audit;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Storage.Tests;

/// <summary>The hash-chained audit trail, tampered with directly in the database on both backends.</summary>
public sealed class AuditTrailTests
{
    private static ModelRegistry WithEntries(TestRegistry test, int count)
    {
        var registry = test.Open();
        for (var i = 1; i <= count; i++)
        {
            registry.Audit.Append("test.action", new { i, note = $"entry {i}" }, "tester@host");
        }

        return registry;
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Each_hash_is_sha256_of_the_previous_hash_and_the_canonical_entry(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = WithEntries(test, 2);
        string at;
        using (var command = registry.Connection.CreateCommand())
        {
            command.CommandText = "SELECT at FROM audit_log WHERE seq = 2";
            at = (string)command.ExecuteScalar()!;
        }

        var entries = registry.Audit.Read();
        Assert.Equal(AuditEntry.Genesis, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        var canonical = $$"""{"action":"test.action","actor":"tester@host","at":"{{at}}","payload":{"i":2,"note":"entry 2"},"seq":2}""";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entries[0].Hash + canonical)));
        Assert.Equal(expected, entries[1].Hash);
        Assert.True(registry.Audit.Verify().Intact);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void An_edited_payload_or_actor_is_named(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = WithEntries(test, 5);
        Assert.Equal(5, registry.Audit.Verify().EntriesChecked);
        Execute(registry, "UPDATE audit_log SET payload = replace(payload, 'entry 3', 'entry 9') WHERE seq = 3");
        var result = registry.Audit.Verify();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("entry 3", result.Message);
        Assert.Contains("edited", result.Message);

        using var second = new TestRegistry(backend);
        using var other = WithEntries(second, 4);
        Execute(other, "UPDATE audit_log SET actor = 'mallory@host' WHERE seq = 2");
        Assert.Equal(2, other.Audit.Verify().FirstBadSequence);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void A_deleted_entry_is_named_in_the_middle_and_at_the_end(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = WithEntries(test, 5);
        Execute(registry, "DELETE FROM audit_log WHERE seq = 3");
        var middle = registry.Audit.Verify();
        Assert.Equal(4, middle.FirstBadSequence);
        Assert.Contains("deleted", middle.Message);

        using var second = new TestRegistry(backend);
        using var tail = WithEntries(second, 5);
        Execute(tail, "DELETE FROM audit_log WHERE seq = 5");
        var end = tail.Audit.Verify();
        Assert.False(end.Intact);
        Assert.Equal(5, end.FirstBadSequence);
        Assert.Contains("deleted", end.Message);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void An_inserted_entry_with_a_forged_hash_breaks_the_chain_at_the_entry_after_it(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = WithEntries(test, 5);
        var second = registry.Audit.Read()[1];
        Execute(registry, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3");
        Execute(registry, "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
        const string at = "2024-01-01T00:00:00.0000000Z";
        var forgedPayload = """{"i":99}""";
        var forgedHash = AuditEntry.ComputeHash(3, at, "mallory@host", "registry.promote", forgedPayload, second.Hash);
        Execute(registry, $"INSERT INTO audit_log (seq, at, actor, action, payload, prev_hash, hash) VALUES (3, '{at}', 'mallory@host', 'registry.promote', '{forgedPayload}', '{second.Hash}', '{forgedHash}')");
        var result = registry.Audit.Verify();
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Reordered_entries_are_named(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = WithEntries(test, 5);
        Execute(registry, "UPDATE audit_log SET seq = -3 WHERE seq = 3");
        Execute(registry, "UPDATE audit_log SET seq = 3 WHERE seq = 2");
        Execute(registry, "UPDATE audit_log SET seq = 2 WHERE seq = -3");
        var result = registry.Audit.Verify();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Contains("reordered", result.Message);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public void Export_by_time_window_gives_json_lines_of_the_entries_in_it(string backend)
    {
        using var test = new TestRegistry(backend);
        using var registry = test.Open();
        for (var i = 1; i <= 4; i++)
        {
            registry.Audit.Append("test.action", new { i }, "tester@host");
            Thread.Sleep(20);
        }

        var all = registry.Audit.Read();
        var window = registry.Audit.Read(all[1].AtUtc, all[3].AtUtc);
        Assert.Equal([2L, 3L], window.Select(e => e.Sequence));
        var line = JsonDocument.Parse(window[0].ToJsonLine()).RootElement;
        Assert.Equal(2, line.GetProperty("seq").GetInt64());
        Assert.Equal(2, line.GetProperty("payload").GetProperty("i").GetInt32());
        Assert.Equal(all[0].Hash, line.GetProperty("prev_hash").GetString());
        Assert.Equal("tester@host", line.GetProperty("actor").GetString());
    }

    [Fact]
    public void Canonical_json_sorts_keys_at_every_level_and_drops_whitespace()
    {
        Assert.Equal("""{"a":[3,{"x":1,"y":2}],"b":"é","c":null}""", CanonicalJson.Canonicalize("""{ "c": null, "b": "é", "a": [3, {"y": 2, "x": 1}] }"""));
        Assert.Equal(CanonicalJson.Serialize(new { b = 1.5, a = true }), CanonicalJson.Canonicalize("""{"a":true,"b":1.5}"""));
    }

    private static void Execute(ModelRegistry registry, string sql)
    {
        using DbCommand command = registry.Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
