namespace QuantPipeline.EndToEnd.Tests;

/// <summary>
/// A test that needs the PostgreSQL server named by QP_TEST_POSTGRES_URI: skipped with the reason shown when it
/// is unset, except under CI (CI=true or QP_REQUIRE_POSTGRES=1), where it runs and fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("QP_TEST_POSTGRES_URI")) && !Required)
        {
            Skip = "QP_TEST_POSTGRES_URI is not set: start a server with .ci/start-postgres.sh and export its URI to run the PostgreSQL tests";
        }
    }

    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("QP_REQUIRE_POSTGRES") == "1";
}
