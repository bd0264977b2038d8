using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Cluster.Features;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Placement;
using QuantPipeline.Cluster.Sweeps;
using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Hosting;

/// <summary>Builds silos and clients of a QuantPipeline cluster: one service id, the cluster id chosen by the user, membership in PostgreSQL or Redis.</summary>
public static class ClusterHosting
{
    public const string ServiceId = "quantpipeline";

    /// <summary>Everything a silo needs besides clustering and endpoints; also used by the in-process test clusters.</summary>
    public static ISiloBuilder AddQuantPipelineWork(this ISiloBuilder silo, SiloSettings settings) => silo.AddQuantPipelineWork(_ => settings);

    /// <summary>As above, with settings made from the silo's services (its name comes from <c>SiloOptions</c>, for one).</summary>
    public static ISiloBuilder AddQuantPipelineWork(this ISiloBuilder silo, Func<IServiceProvider, SiloSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        silo.Services.AddSingleton(settings);
        silo.Services.AddSingleton<UnitRunner>();
        silo.Services.AddSingleton<IUnitExecutor, FeatureShardExecutor>();
        silo.Services.AddSingleton<IUnitExecutor, SweepChunkExecutor>();
        silo.Services.AddSingleton<IUnitExecutor, RetrainExecutor>();
        silo.Services.AddSingleton<IRetrainUnit, PipelineRetrainUnit>();
        silo.Services.AddSingleton<IUnitExecutor>(_ => new RetrainExecutor(new PipelineValidationUnit(), RetrainExecutor.ValidateUnitKind));
        return silo;
    }

    public static IHost BuildSilo(SiloHostOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Membership.Kind == MembershipKind.Postgres)
        {
            PostgresClusteringSchema.EnsureAsync(options.Membership.Connection).GetAwaiter().GetResult();
        }

        var builder = new HostBuilder();
        builder.ConfigureLogging(l =>
        {
            l.AddSimpleConsole(c => c.SingleLine = true);
            l.SetMinimumLevel(LogLevel.Warning);
            l.AddFilter("QuantPipeline", LogLevel.Information);
            // Start-up advice (server GC) and the watchdog's CPU-starvation notes are noise on a busy worker.
            l.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
            l.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
            // Placement retries on a refused address (a silo just declared dead) are expected; the coordinator re-dispatches.
            l.AddFilter("Polly", LogLevel.None);
            logging?.Invoke(l);
        });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = options.ClusterId;
                c.ServiceId = ServiceId;
            });
            silo.Configure<SiloOptions>(s => s.SiloName = options.Settings.Name);
            silo.Configure<EndpointOptions>(e =>
            {
                e.AdvertisedIPAddress = options.Address;
                e.SiloPort = options.SiloPort;
                e.GatewayPort = options.GatewayPort;
                e.SiloListeningEndpoint = new IPEndPoint(options.Address, options.SiloPort);
                e.GatewayListeningEndpoint = new IPEndPoint(options.Address, options.GatewayPort);
            });
            silo.Configure<ClusterMembershipOptions>(m =>
            {
                m.ProbeTimeout = options.ProbeTimeout;
                m.NumMissedProbesLimit = 3;
                m.IAmAliveTablePublishTimeout = options.ProbeTimeout * 2;
            });
            UseMembership(silo, options.Membership);
            silo.AddQuantPipelineWork(options.Settings);
        });
        return builder.Build();
    }

    /// <summary>Starts a client of the cluster (giving up after <paramref name="timeout"/>, 30 s by default); dispose it to leave.</summary>
    public static async Task<ClusterConnection> ConnectAsync(string clusterId, MembershipUri membership, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (membership.Kind == MembershipKind.Postgres)
        {
            await PostgresClusteringSchema.EnsureAsync(membership.Connection, cancellationToken).ConfigureAwait(false);
        }

        var builder = new HostBuilder();
        // A command's output is the same with or without --cluster: client problems surface as errors, not log lines.
        builder.ConfigureLogging(l => l.ClearProviders());
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = clusterId;
                c.ServiceId = ServiceId;
            });
            client.Configure<GatewayOptions>(g => g.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Configure<ClientMessagingOptions>(m => m.ResponseTimeout = TimeSpan.FromSeconds(30));
            if (membership.Kind == MembershipKind.Postgres)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = membership.Connection;
                });
            }
            else
            {
                client.UseRedisClustering(membership.Connection);
            }
        });
        var host = builder.Build();
        var wait = timeout ?? TimeSpan.FromSeconds(30);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(wait);
        try
        {
            await host.StartAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var why = e is OperationCanceledException ? $"no silo answered within {wait.TotalSeconds:F0} s." : e.Message;
            throw new InvalidOperationException(
                $"Cannot join cluster '{clusterId}' through {membership.Display}: {why} Start at least one silo with `qp cluster silo --cluster-id {clusterId} --membership …`, or check the cluster id.", e);
        }

        return new ClusterConnection(host, host.Services.GetRequiredService<IClusterClient>(), clusterId);
    }

    private static void UseMembership(ISiloBuilder silo, MembershipUri membership)
    {
        if (membership.Kind == MembershipKind.Postgres)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = membership.Connection;
            });
        }
        else
        {
            silo.UseRedisClustering(membership.Connection);
        }
    }
}
