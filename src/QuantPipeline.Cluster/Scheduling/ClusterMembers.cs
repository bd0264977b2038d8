using Orleans.Runtime;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Scheduling;

/// <summary>The active silos of the membership table that answer, with what each declares.</summary>
public static class ClusterMembers
{
    public static async Task<IReadOnlyList<SiloWork>> ListAsync(IClusterClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var hosts = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        var answers = await Task.WhenAll(hosts
            .Where(h => h.Status == SiloStatus.Active)
            .Select(async h =>
            {
                try
                {
                    return await client.GetGrain<ISiloWorkerGrain>(h.SiloAddress.ToParsableString()).Describe().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    return null;
                }
            })).ConfigureAwait(false);
        return answers.OfType<SiloWork>().OrderBy(s => s.Silo, StringComparer.Ordinal).ToList();
    }

    /// <summary>The addresses the membership table lists as active: a silo leaves this set once the others declare it dead.</summary>
    public static async Task<HashSet<string>> ActiveAsync(IClusterClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var hosts = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress.ToParsableString()).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every membership row with its status, for <c>qp cluster status</c>.</summary>
    public static async Task<IReadOnlyList<(string Silo, string Name, string Status)>> ListMembershipAsync(IClusterClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        var hosts = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(timeout).ConfigureAwait(false);
        return hosts.Select(h => (h.SiloAddress.ToParsableString(), h.SiloName, h.Status.ToString())).OrderBy(h => h.Item1, StringComparer.Ordinal).ToList();
    }
}
