namespace QuantPipeline.Core.Features.Expressions;

/// <summary>A named expression, e.g. KMID = ($close-$open)/$open.</summary>
public sealed record FeatureDefinition(string Name, string Expression);
