using Orleans.Placement;

namespace QuantPipeline.Cluster.Placement;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);
