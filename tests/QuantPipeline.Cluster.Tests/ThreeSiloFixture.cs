using Orleans.TestingHost;

namespace QuantPipeline.Cluster.Tests;

/// <summary>One in-process three-silo cluster shared by the tests that do not kill silos.</summary>
public sealed class ThreeSiloFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public string Shared { get; private set; } = string.Empty;

    public async Task InitializeAsync() => (Cluster, Shared) = await TestSilos.StartAsync(3);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(Shared, recursive: true);
    }
}
