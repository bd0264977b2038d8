using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace QuantPipeline.Storage.Registry;

/// <summary>
/// What differs between the SQLite and PostgreSQL registries: opening a connection, serialising writers
/// across processes, and the trigger syntax that makes versions immutable. Everything else is shared SQL.
/// </summary>
public abstract class RegistryDialect
{
    public abstract string Name { get; }

    public abstract DbConnection Open(string location);

    /// <summary>
    /// Starts a transaction that holds the registry's write lock until it ends, so that numbering a version,
    /// moving an alias or appending to the audit chain see every write committed before them and no other
    /// process can interleave.
    /// </summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>SQL that refuses UPDATE and DELETE on <c>model_versions</c>.</summary>
    public abstract string ImmutableVersionsSql { get; }

    public static RegistryDialect For(RegistryUri uri) => uri.IsPostgres ? Postgres.Instance : Sqlite.Instance;

    public sealed class Sqlite : RegistryDialect
    {
        public static readonly Sqlite Instance = new();

        public override string Name => "sqlite";

        public override DbConnection Open(string location)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(location))!);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = location,
                Mode = SqliteOpenMode.ReadWriteCreate,
                DefaultTimeout = 60,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout=60000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            pragma.ExecuteNonQuery();
            return connection;
        }

        // BEGIN IMMEDIATE takes SQLite's single write lock at the start, so the read of max(version) and the
        // insert that follows cannot be interleaved by another process.
        public override DbTransaction BeginWrite(DbConnection connection) =>
            ((SqliteConnection)connection).BeginTransaction(deferred: false);

        public override string ImmutableVersionsSql => """
            CREATE TRIGGER model_versions_no_update BEFORE UPDATE ON model_versions
            BEGIN SELECT RAISE(ABORT, 'model versions are immutable: register a new version instead'); END;
            CREATE TRIGGER model_versions_no_delete BEFORE DELETE ON model_versions
            BEGIN SELECT RAISE(ABORT, 'model versions are immutable: register a new version instead'); END;
            """;
    }

    public sealed class Postgres : RegistryDialect
    {
        public static readonly Postgres Instance = new();

        /// <summary>Key of the transaction-scoped advisory lock every registry writer takes ("qpreg").</summary>
        private const long WriteLockKey = 0x7170726567;

        public override string Name => "postgresql";

        public override DbConnection Open(string location)
        {
            var connection = new NpgsqlConnection(location);
            connection.Open();
            return connection;
        }

        // Read committed plus one advisory lock: each statement after the lock sees every commit made before it.
        public override DbTransaction BeginWrite(DbConnection connection)
        {
            var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT pg_advisory_xact_lock({WriteLockKey})";
            command.ExecuteNonQuery();
            return transaction;
        }

        public override string ImmutableVersionsSql => """
            CREATE OR REPLACE FUNCTION qp_refuse_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'model versions are immutable: register a new version instead'; END $$;
            CREATE TRIGGER model_versions_no_update BEFORE UPDATE OR DELETE ON model_versions
            FOR EACH ROW EXECUTE FUNCTION qp_refuse_version_change();
            """;
    }
}
