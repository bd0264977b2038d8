namespace QuantPipeline.Cluster.Tests;

/// <summary>
/// A test that needs the PostgreSQL server named by QP_TEST_POSTGRES_URI: skipped with the reason shown when it is
/// unset, unless QP_REQUIRE_POSTGRES=1 (as `.ci/run` sets), where it runs and fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Uri is null && Environment.GetEnvironmentVariable("QP_REQUIRE_POSTGRES") != "1")
        {
            Skip = "QP_TEST_POSTGRES_URI is not set: start a server with .ci/start-postgres.sh and export its URI to run the cluster's PostgreSQL membership tests";
        }
    }

    public static string? Uri => Environment.GetEnvironmentVariable("QP_TEST_POSTGRES_URI") is { Length: > 0 } uri ? uri : null;

    public static string RequiredUri => Uri ?? throw new InvalidOperationException("QP_REQUIRE_POSTGRES=1 but QP_TEST_POSTGRES_URI is not set: PostgreSQL did not start (see .ci/start-postgres.sh).");
}
