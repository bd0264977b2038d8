namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A test that needs a Redis server: the one named by QP_TEST_REDIS_URI (started by `.ci/start-redis.sh`), else one the
/// test starts from the redis-server on the PATH. Skipped with the reason shown when there is neither, unless
/// QP_REQUIRE_REDIS=1 (as `.ci/run` sets), where it runs and fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.ConfiguredUri is null && RedisServer.Executable is null && Environment.GetEnvironmentVariable("QP_REQUIRE_REDIS") != "1")
        {
            Skip = "no Redis server: set QP_TEST_REDIS_URI (see .ci/start-redis.sh) or install redis-server to run the cluster's Redis membership test";
        }
    }
}
