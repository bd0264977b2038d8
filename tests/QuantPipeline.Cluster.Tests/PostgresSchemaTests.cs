using Npgsql;
using QuantPipeline.Cluster.Membership;

namespace QuantPipeline.Cluster.Tests;

public sealed class PostgresSchemaTests
{
    [PostgresFact]
    public async Task Schema_creation_is_idempotent_under_concurrent_starts()
    {
        var connection = MembershipUri.Parse(PostgresFactAttribute.RequiredUri).Connection;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresClusteringSchema.EnsureAsync(connection)));
        await PostgresClusteringSchema.EnsureAsync(connection);

        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", db);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            ["CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
             "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey"],
            keys);
    }
}
