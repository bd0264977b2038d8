using Microsoft.Extensions.Hosting;

namespace QuantPipeline.Cluster.Hosting;

/// <summary>A started cluster client; disposing it leaves the cluster.</summary>
public sealed class ClusterConnection(IHost? host, IClusterClient client, string clusterId) : IAsyncDisposable
{
    public IClusterClient Client { get; } = client;

    public string ClusterId { get; } = clusterId;

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync().ConfigureAwait(false);
            host.Dispose();
        }
    }
}
