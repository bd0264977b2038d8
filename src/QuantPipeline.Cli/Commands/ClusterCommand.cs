using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using QuantPipeline.Cluster.Hosting;
using QuantPipeline.Cluster.Membership;
using QuantPipeline.Cluster.Scheduling;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp cluster silo</c> starts a worker silo of an Orleans cluster; <c>qp cluster status</c> lists the silos and their work.</summary>
public static class ClusterCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command(
            "cluster",
            """
            Runs worker silos of a Microsoft Orleans cluster and shows what they do.
            Feature shards, backtest sweep chunks and backfill retrains run as units on worker silos. Silos and
            clients find each other through a membership table in PostgreSQL or Redis.

            Examples:
              qp cluster silo --cluster-id research --membership postgresql://qp@db:5432/qp --shared /mnt/qp --address 10.0.0.5 --gpu
              qp cluster status --cluster-id research --membership postgresql://qp@db:5432/qp
              qp features --store /mnt/qp/market.duckdb --set alpha158 --as-of 2024-06-28 --out f.arrow --cluster research --membership postgresql://qp@db:5432/qp --shared /mnt/qp
            """);
        command.Subcommands.Add(Silo());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Command Silo()
    {
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster to join; silos and clients of one cluster share this id.", Required = true };
        var membership = new Option<string>("--membership") { Description = "Membership store: postgresql://user[:password]@host[:port]/db or redis://host[:port].", Required = true };
        var shared = new Option<DirectoryInfo>("--shared") { Description = "Shared folder every silo and client reads and writes (a network file system across machines).", Required = true };
        var gpu = new Option<bool>("--gpu") { Description = "Declare a GPU: backfill retrains are placed on GPU silos whenever the cluster has any." };
        var address = new Option<string>("--address") { Description = "The only address the silo listens on and advertises.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Silo-to-silo port.", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Port clients (qp commands) connect to.", DefaultValueFactory = _ => 30000 };
        var slots = new Option<int>("--slots") { Description = "Units run at once (default: processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var name = new Option<string?>("--name") { Description = "Silo name shown by `qp cluster status` (default: host name and port)." };
        var probe = new Option<double>("--probe-timeout") { Description = "Seconds per liveness probe; a silo missing 3 in a row is declared dead and its work moves.", DefaultValueFactory = _ => 5 };
        var command = new Command(
            "silo",
            """
            Starts a worker silo and runs until stopped (Ctrl+C or SIGTERM).
            The silo listens only on --address, joins the membership of --cluster-id and runs units from the shared path.

            Examples:
              qp cluster silo --cluster-id research --membership postgresql://qp@db:5432/qp --shared /mnt/qp --address 10.0.0.5
              qp cluster silo --cluster-id research --membership postgresql://qp@db:5432/qp --shared /mnt/qp --address 10.0.0.6 --gpu
            """)
        {
            clusterId, membership, shared, gpu, address, port, gatewayPort, slots, name, probe,
        };
        command.SetAction(parse =>
        {
            try
            {
                if (!IPAddress.TryParse(parse.GetValue(address), out var ip))
                {
                    throw new ArgumentException($"--address '{parse.GetValue(address)}' is not an IP address; give the address this silo should listen on, e.g. 10.0.0.5.");
                }

                var slotCount = parse.GetValue(slots);
                if (slotCount < 1)
                {
                    throw new ArgumentException($"--slots {slotCount}: a silo needs at least one slot.");
                }

                var membershipUri = MembershipUri.Parse(parse.GetValue(membership)!);
                var siloPort = parse.GetValue(port);
                var settings = new SiloSettings(
                    parse.GetValue(name) ?? $"{Dns.GetHostName()}:{siloPort}",
                    parse.GetValue(gpu),
                    slotCount,
                    parse.GetValue(shared)!.FullName);
                var options = new SiloHostOptions(parse.GetValue(clusterId)!, membershipUri, ip, siloPort, parse.GetValue(gatewayPort), settings)
                {
                    ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(probe)),
                };
                using var host = ClusterHosting.BuildSilo(options);
                host.Start();
                Console.WriteLine(
                    $"silo {settings.Name} joined cluster {options.ClusterId}: listening on {ip}:{siloPort} (gateway {options.GatewayPort}), " +
                    $"membership {membershipUri.Display}, shared {settings.SharedPath}, {slotCount} slot(s), gpu {(settings.Gpu ? "yes" : "no")}");
                host.WaitForShutdown();
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static Command Status()
    {
        var clusterId = new Option<string>("--cluster-id") { Description = "The cluster to inspect.", Required = true };
        var membership = new Option<string>("--membership") { Description = "Membership store: postgresql://… or redis://….", Required = true };
        var command = new Command(
            "status",
            """
            Lists the silos of a cluster (membership status, GPU, slots) and the units each is running.

            Examples:
              qp cluster status --cluster-id research --membership postgresql://qp@db:5432/qp
            """)
        {
            clusterId, membership,
        };
        command.SetAction(parse =>
        {
            try
            {
                return StatusAsync(parse.GetValue(clusterId)!, MembershipUri.Parse(parse.GetValue(membership)!)).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> StatusAsync(string clusterId, MembershipUri membership)
    {
        await using var connection = await ClusterHosting.ConnectAsync(clusterId, membership).ConfigureAwait(false);
        var timeout = TimeSpan.FromSeconds(5);
        var rows = await ClusterMembers.ListMembershipAsync(connection.Client, timeout).ConfigureAwait(false);
        var work = (await ClusterMembers.ListAsync(connection.Client, timeout).ConfigureAwait(false)).ToDictionary(w => w.Silo, StringComparer.Ordinal);
        Console.WriteLine($"cluster {clusterId} ({membership.Display}): {work.Count} active silo(s) answering, {rows.Count} in the membership table");
        Console.WriteLine(string.Create(Inv, $"{"silo",-28} {"name",-24} {"status",-12} {"gpu",-4} {"slots",5} {"running",7} {"queued",6} {"done",6} {"failed",6}"));
        foreach (var (silo, name, status) in rows.Where(r => r.Status != "Dead").Concat(rows.Where(r => r.Status == "Dead")))
        {
            if (work.TryGetValue(silo, out var w))
            {
                Console.WriteLine(string.Create(Inv, $"{silo,-28} {name,-24} {status,-12} {(w.Gpu ? "yes" : "no"),-4} {w.Slots,5} {w.Running.Count,7} {w.Queued,6} {w.Completed,6} {w.Failed,6}"));
                foreach (var key in w.Running)
                {
                    Console.WriteLine($"    running {key}");
                }
            }
            else
            {
                Console.WriteLine(string.Create(Inv, $"{silo,-28} {name,-24} {status,-12} {"-",-4} {"-",5} {"-",7} {"-",6} {"-",6} {"-",6}"));
            }
        }

        return 0;
    }
}
