namespace QuantPipeline.Cluster.Units;

/// <summary>
/// The work endpoint of one silo, keyed by that silo's address (<c>SiloAddress.ToParsableString()</c>) and always
/// activated on it: the coordinator chooses the silo, so placement is visible and testable.
/// </summary>
public interface ISiloWorkerGrain : IGrainWithStringKey
{
    Task<SiloWork> Describe();

    Task<UnitStatus> Start(UnitRequest request);

    Task<UnitStatus> Poll(string key);
}
