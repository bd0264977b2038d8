namespace QuantPipeline.Cluster.Placement;

/// <summary>Places a grain on the silo whose address is the grain's key, and nowhere else.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    public static SiloBoundPlacement Instance { get; } = new();
}
