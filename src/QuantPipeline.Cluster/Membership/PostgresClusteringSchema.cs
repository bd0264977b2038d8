using Npgsql;

namespace QuantPipeline.Cluster.Membership;

/// <summary>
/// Creates the tables and named queries Orleans' ADO.NET clustering needs in a PostgreSQL database. Safe to run from
/// every silo and client at start-up: the script only adds what is missing, and an advisory lock serialises silos
/// that start at the same moment.
/// </summary>
public static class PostgresClusteringSchema
{
    // Any fixed 64-bit number: the lock only has to be the same for every process creating this schema.
    private const long SchemaLock = 0x51505F4F524C4541;

    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var script = ReadScript();
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            throw new InvalidOperationException(
                $"Cannot reach the membership database {builder.Database} on {builder.Host}:{builder.Port} as '{builder.Username}': {e.Message} " +
                "Check that PostgreSQL runs there and accepts this user, or pass another --membership URI.", e);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(script, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadScript()
    {
        using var stream = typeof(PostgresClusteringSchema).Assembly.GetManifestResourceStream("PostgresClusteringSchema.sql")
            ?? throw new InvalidOperationException("The PostgreSQL clustering schema is missing from QuantPipeline.Cluster.dll; rebuild the project.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
