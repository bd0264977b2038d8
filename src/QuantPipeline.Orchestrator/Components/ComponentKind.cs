namespace QuantPipeline.Orchestrator.Components;

/// <summary>The kinds of component a pipeline is assembled from; each kind has one configuration key.</summary>
public enum ComponentKind
{
    FeatureSet,
    Transform,
    Label,
    Model,
    ValidationScheme,
}
