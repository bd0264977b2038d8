namespace QuantPipeline.Cluster.Tests;

/// <summary>Mistakes a user can make with the cluster options, through the real qp executable.</summary>
public sealed class ClusterCliTests
{
    [Fact]
    public async Task Cluster_without_membership_says_what_to_add()
    {
        var root = Directory.CreateTempSubdirectory("qp-cli-").FullName;
        try
        {
            var bars = Path.Combine(root, "bars.csv");
            await File.WriteAllTextAsync(bars, "symbol,date,close\nA,2024-01-02,10\nA,2024-01-03,11\n");

            var (exit, _, err) = await SiloProcess.RunAsync(TimeSpan.FromMinutes(1), "features", "--input", bars, "--expr", "M=Mean($close, 2)", "--out", Path.Combine(root, "f.csv"), "--cluster", "research");

            Assert.Equal(2, exit);
            Assert.Contains("--cluster research needs --membership", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Silo_with_an_unreachable_membership_database_names_it()
    {
        var (exit, _, err) = await SiloProcess.RunAsync(
            TimeSpan.FromMinutes(1), "cluster", "silo", "--cluster-id", "x", "--membership", "postgresql://qp@127.0.0.1:1/nodb", "--shared", Path.GetTempPath());

        Assert.Equal(2, exit);
        Assert.Contains("Cannot reach the membership database nodb on 127.0.0.1:1", err, StringComparison.Ordinal);
    }
}
