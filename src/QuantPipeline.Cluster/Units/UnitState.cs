namespace QuantPipeline.Cluster.Units;

/// <summary>Where a unit stands on the silo asked about it.</summary>
[GenerateSerializer]
public enum UnitState
{
    /// <summary>The silo has no record of the unit (it restarted, or never got it): dispatch it again.</summary>
    Unknown,
    Queued,
    Running,
    Done,
    Failed,
}
