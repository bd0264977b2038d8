using QuantPipeline.Cluster.Placement;

namespace QuantPipeline.Cluster.Units;

/// <summary>Hands requests to this silo's <see cref="UnitRunner"/>; holds no state itself, so losing the activation loses nothing.</summary>
[SiloBoundPlacement]
public sealed class SiloWorkerGrain(UnitRunner runner, ILocalSiloDetails silo) : Grain, ISiloWorkerGrain
{
    private string Address => silo.SiloAddress.ToParsableString();

    public Task<SiloWork> Describe() => Task.FromResult(runner.Describe(Address));

    public Task<UnitStatus> Start(UnitRequest request) => Task.FromResult(runner.Start(request, Address));

    public Task<UnitStatus> Poll(string key) => Task.FromResult(runner.Poll(key, Address));
}
