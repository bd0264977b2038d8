using System.CommandLine;
using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Hosting;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Cluster.Sweeps;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// <c>--cluster ID --membership URI --shared PATH</c>: run a command's units on an Orleans cluster instead of this
/// machine. Without <c>--cluster</c> the same units run here, one after another.
/// </summary>
public sealed class ClusterOptions
{
    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = "Run on the Orleans cluster with this id (the silos' --cluster-id) instead of on this machine.",
    };

    public Option<string?> Membership { get; } = new("--membership")
    {
        Description = "With --cluster: the membership store, postgresql://user@host:port/db or redis://host:port. Default: $QP_CLUSTER_MEMBERSHIP.",
    };

    public Option<DirectoryInfo?> Shared { get; } = new("--shared")
    {
        Description = "With --cluster: the shared folder the silos were started with (--shared); shard inputs and outputs go there.",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Cluster);
        command.Options.Add(Membership);
        command.Options.Add(Shared);
    }

    /// <summary>The cluster to run on, or null for this machine; what is missing is reported when the command runs.</summary>
    public ClusterRun? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var id = parse.GetValue(Cluster);
        return id is null
            ? null
            : new ClusterRun(id, parse.GetValue(Membership) ?? Environment.GetEnvironmentVariable("QP_CLUSTER_MEMBERSHIP"), parse.GetValue(Shared)?.FullName);
    }
}

/// <summary>Where and how to reach a cluster for one command.</summary>
public sealed record ClusterRun(string ClusterId, string? Membership, string? SharedPath)
{
    /// <summary>Joins the cluster and runs <paramref name="work"/> with a dispatcher for it.</summary>
    public Task<T> UseAsync<T>(Func<IUnitDispatcher, Task<T>> work) => UseAsync(null, work);

    /// <summary>As above with dispatch options, e.g. <c>ClusterBackfill.DispatchOptions(unit)</c> for a backfill.</summary>
    public async Task<T> UseAsync<T>(ClusterDispatchOptions? options, Func<IUnitDispatcher, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var membership = MembershipUri.Parse(Membership
            ?? throw new ArgumentException($"--cluster {ClusterId} needs --membership postgresql://…|redis://… (or $QP_CLUSTER_MEMBERSHIP): where the silos of the cluster are listed."));
        var shared = SharedPath
            ?? throw new ArgumentException($"--cluster {ClusterId} needs --shared PATH: the folder every silo of the cluster reads and writes (the silos' --shared).");
        await using var connection = await ClusterHosting.ConnectAsync(ClusterId, membership).ConfigureAwait(false);
        return await work(new ClusterDispatcher(connection.Client, new SharedStore(shared), options)).ConfigureAwait(false);
    }

    /// <summary>The executors a local run uses: the same ones a silo has.</summary>
    public static IUnitExecutor[] LocalExecutors() => [new FeatureShardExecutor(), new SweepChunkExecutor()];
}
