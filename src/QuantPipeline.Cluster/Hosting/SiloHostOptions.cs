using System.Net;
using QuantPipeline.Cluster.Membership;

namespace QuantPipeline.Cluster.Hosting;

/// <summary>
/// Everything <c>qp cluster silo</c> takes. The silo listens on <see cref="Address"/> only (silo-to-silo and gateway
/// ports) and advertises that address in the membership table. <see cref="ProbeTimeout"/> × 3 missed probes is how
/// long a silo that stops answering takes to be declared dead.
/// </summary>
public sealed record SiloHostOptions(
    string ClusterId,
    MembershipUri Membership,
    IPAddress Address,
    int SiloPort,
    int GatewayPort,
    SiloSettings Settings)
{
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
