using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Tests;

public sealed class UnitStoreTests
{
    [Fact]
    public void Shard_plan_reads_the_lookback_before_each_shard_and_owns_every_row_once()
    {
        // 23 rows in shards of 10 with a lookback of 4: [0,10) [10,20) [20,23), reading from 0, 6 and 16.
        var plan = FeatureShardPlan.Plan(23, 10, 4);

        Assert.Equal([new(0, 0, 10, 10), new(6, 10, 10, 20), new(16, 20, 3, 23)], plan);
        Assert.Equal([0, 4, 4], plan.Select(s => s.Overlap));
    }

    [Fact]
    public void Shard_plan_reads_lookahead_after_and_everything_before_for_exponential_features()
    {
        // Ref($close, -2) needs 2 rows after each shard; an EMA needs all history before it.
        Assert.Equal([new(0, 0, 10, 12), new(7, 10, 10, 22), new(17, 20, 3, 23)], FeatureShardPlan.Plan(23, 10, 3, lookahead: 2));
        Assert.Equal([new(0, 0, 10, 10), new(0, 10, 10, 20), new(0, 20, 3, 23)], FeatureShardPlan.Plan(23, 10, 3, fromStart: true));
    }

    [Fact]
    public void Atomic_writes_leave_no_partial_file_when_the_writer_fails()
    {
        var root = Directory.CreateTempSubdirectory("qp-store-").FullName;
        try
        {
            var store = new SharedStore(root);
            var path = Path.Combine(store.UnitDirectory("features-abc"), "features.arrow");

            Assert.Throws<IOException>(() => SharedStore.WriteAtomically(path, s =>
            {
                s.Write(new byte[1000]);
                throw new IOException("disk gone");
            }));

            Assert.False(File.Exists(path));
            Assert.Empty(Directory.GetFiles(store.UnitDirectory("features-abc")));
            Assert.Null(store.ReadDone("features-abc"));
            store.WriteDone("features-abc", "{\"rows\":3}");
            Assert.Equal("{\"rows\":3}", store.ReadDone("features-abc"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Inputs_are_content_addressed_and_keys_depend_on_every_part()
    {
        var root = Directory.CreateTempSubdirectory("qp-store-").FullName;
        try
        {
            var store = new SharedStore(root);
            var a = store.PutInput("abc"u8, ".bin");

            Assert.Equal(Path.Combine("inputs", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.bin"), a);
            Assert.Equal(a, store.PutInput("abc"u8, ".bin"));
            Assert.NotEqual(SharedStore.HashKey("retrain", "2024-01-31", "x"), SharedStore.HashKey("retrain", "2024-02-29", "x"));
            Assert.NotEqual(SharedStore.HashKey("retrain", "a", "bc"), SharedStore.HashKey("retrain", "ab", "c"));
            Assert.Throws<ArgumentException>(() => store.Resolve("../outside"));
            Assert.Throws<ArgumentException>(() => store.UnitDirectory("../x"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Membership_uris_become_provider_connection_strings()
    {
        var pg = MembershipUri.Parse("postgresql://qp:secret@db.local:5433/cluster");
        var redis = MembershipUri.Parse("redis://cache.local");

        Assert.Equal(MembershipKind.Postgres, pg.Kind);
        Assert.Contains("Host=db.local", pg.Connection, StringComparison.Ordinal);
        Assert.Contains("Port=5433", pg.Connection, StringComparison.Ordinal);
        Assert.Equal("postgresql://qp:***@db.local:5433/cluster", pg.Display);
        Assert.Equal(MembershipKind.Redis, redis.Kind);
        Assert.Equal("cache.local:6379", redis.Connection);
        var error = Assert.Throws<FormatException>(() => MembershipUri.Parse("zookeeper://zk:2181"));
        Assert.Contains("postgresql://", error.Message, StringComparison.Ordinal);
    }
}
