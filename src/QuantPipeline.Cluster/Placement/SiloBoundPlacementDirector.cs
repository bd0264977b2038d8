using Orleans.Runtime.Placement;

namespace QuantPipeline.Cluster.Placement;

/// <summary>
/// Activates a silo-bound grain on the silo its key names, provided that silo is an active member of this cluster;
/// otherwise refuses, so work never lands on an address outside the membership (or on a silo declared dead).
/// </summary>
public sealed class SiloBoundPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        SiloAddress wanted;
        try
        {
            wanted = SiloAddress.FromParsableString(key);
        }
        catch (FormatException e)
        {
            throw new OrleansException($"Grain {target.GrainIdentity}: its key '{key}' is not a silo address.", e);
        }

        var members = context.GetCompatibleSilos(target);
        if (!members.Contains(wanted))
        {
            throw new OrleansException(
                $"Silo {wanted} is not an active member of this cluster (members: {string.Join(", ", members.Select(m => m.ToString()))}); the unit must go elsewhere.");
        }

        return Task.FromResult(wanted);
    }
}
