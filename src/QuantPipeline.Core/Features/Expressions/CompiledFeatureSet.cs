namespace QuantPipeline.Core.Features.Expressions;

/// <summary>A whole feature set compiled into one graph with shared subexpressions and a buffer plan.</summary>
public sealed class CompiledFeatureSet
{
    internal CompiledFeatureSet(IReadOnlyList<DagNode> nodes, IReadOnlyList<CompiledOutput> outputs)
    {
        Nodes = nodes;
        Outputs = outputs;
        Plan = EvaluationPlan.Build(nodes);
        Fields = nodes.Where(n => n.Op == DagOp.Field).Select(n => n.Field!).ToArray();
        Lookback = outputs.Count == 0 ? 0 : outputs.Max(o => o.Lookback);
        Lookahead = outputs.Count == 0 ? 0 : outputs.Max(o => o.Lookahead);
    }

    public IReadOnlyList<DagNode> Nodes { get; }

    public IReadOnlyList<CompiledOutput> Outputs { get; }

    public EvaluationPlan Plan { get; }

    /// <summary>Input fields the set reads (without '$').</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Bars of history to load before the first timestamp that must have fully-formed values.</summary>
    public int Lookback { get; }

    /// <summary>Bars after t that a value at t depends on (labels only; 0 for features).</summary>
    public int Lookahead { get; }

    public CompiledOutput Output(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"The set has no output '{name}'.");
}
