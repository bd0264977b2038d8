using System.Data.Common;
using System.Globalization;

namespace QuantPipeline.Storage.Registry;

/// <summary>
/// Numbered schema migrations, applied in order under the registry's write lock and recorded in
/// <c>schema_migrations</c>, so several processes opening a new registry at once apply each exactly once.
/// Migration 1 is the original single-table layout, so registries written before migrations existed upgrade in place.
/// </summary>
public static class RegistryMigrations
{
    public static int Latest => Steps(RegistryDialect.Sqlite.Instance).Count;

    public static IReadOnlyList<(int Version, string Name, string[] Statements)> Steps(RegistryDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return
        [
            (1, "model versions", [
                """
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
                )
                """,
            ]),
            (2, "models, tags, lineage, aliases, audit log, signals", [
                "CREATE TABLE models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
                "INSERT INTO models (name, created_at) SELECT model_name, min(created_at) FROM model_versions GROUP BY model_name",
                "ALTER TABLE model_versions ADD COLUMN tags_json TEXT NOT NULL DEFAULT '{}'",
                "ALTER TABLE model_versions ADD COLUMN registered_by TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE model_versions ADD COLUMN data_snapshot_id TEXT",
                "ALTER TABLE model_versions ADD COLUMN feature_set_version TEXT",
                "ALTER TABLE model_versions ADD COLUMN config_hash TEXT",
                "ALTER TABLE model_versions ADD COLUMN config_json TEXT",
                "ALTER TABLE model_versions ADD COLUMN code_version TEXT",
                "ALTER TABLE model_versions ADD COLUMN seed INTEGER",
                "ALTER TABLE model_versions ADD COLUMN training_from TEXT",
                "ALTER TABLE model_versions ADD COLUMN training_to TEXT",
                "ALTER TABLE model_versions ADD COLUMN parent_version INTEGER",
                dialect.ImmutableVersionsSql,
                """
                CREATE TABLE aliases (
                    model_name TEXT NOT NULL,
                    alias TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    updated_at TEXT NOT NULL,
                    updated_by TEXT NOT NULL,
                    PRIMARY KEY (model_name, alias)
                )
                """,
                """
                CREATE TABLE alias_history (
                    model_name TEXT NOT NULL,
                    alias TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    action TEXT NOT NULL,
                    version INTEGER,
                    previous_version INTEGER,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    PRIMARY KEY (model_name, alias, seq)
                )
                """,
                """
                CREATE TABLE audit_log (
                    seq BIGINT PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
                """
                CREATE TABLE signals (
                    model_name TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    symbol TEXT NOT NULL,
                    model_version INTEGER NOT NULL,
                    score DOUBLE PRECISION NOT NULL,
                    score_rank INTEGER NOT NULL,
                    written_at TEXT NOT NULL,
                    PRIMARY KEY (model_name, as_of, symbol)
                )
                """,
            ]),
        ];
    }

    /// <summary>Brings the schema up to date; returns the migrations applied by this call.</summary>
    public static IReadOnlyList<int> Apply(DbConnection connection, RegistryDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        using var transaction = dialect.BeginWrite(connection);
        Sql.Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var current = Convert.ToInt32(Sql.Scalar(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0, CultureInfo.InvariantCulture);
        var applied = new List<int>();
        foreach (var (version, name, statements) in Steps(dialect))
        {
            if (version <= current)
            {
                continue;
            }

            foreach (var statement in statements)
            {
                Sql.Execute(connection, transaction, statement);
            }

            Sql.Execute(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)", ("@v", version), ("@n", name), ("@at", Sql.Timestamp(DateTime.UtcNow)));
            applied.Add(version);
        }

        if (current > Latest)
        {
            throw new InvalidOperationException($"The registry schema is at version {current}, newer than this qp understands ({Latest}); upgrade qp.");
        }

        transaction.Commit();
        return applied;
    }
}
