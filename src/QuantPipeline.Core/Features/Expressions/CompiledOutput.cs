namespace QuantPipeline.Core.Features.Expressions;

/// <summary>One named output of a compiled set: the node that computes it and the history it needs.</summary>
public sealed record CompiledOutput(string Name, string Expression, int NodeId, int Lookback, int Lookahead);
