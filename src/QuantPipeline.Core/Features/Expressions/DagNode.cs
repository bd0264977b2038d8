using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// One node of a compiled feature set. Nodes are unique by <see cref="Key"/> (common subexpressions are shared),
/// and every input has a smaller <see cref="Id"/>, so id order is a valid evaluation order.
/// </summary>
public sealed record DagNode
{
    public required int Id { get; init; }

    public required DagOp Op { get; init; }

    public required IReadOnlyList<int> Inputs { get; init; }

    /// <summary>Canonical description of the computation (operation, parameters, input ids): the CSE key.</summary>
    public required string Key { get; init; }

    public string? Field { get; init; }

    public double Value { get; init; }

    public UnaryOp UnaryOp { get; init; }

    public BinaryOp BinaryOp { get; init; }

    public RollingOp RollingOp { get; init; }

    public RollingPairOp RollingPairOp { get; init; }

    public CrossSectionalOp CrossSectionalOp { get; init; }

    public RollingSpec Rolling { get; init; }

    public EwmSpec Ewm { get; init; }

    /// <summary>Shift/Diff periods, or the RSI period.</summary>
    public int Periods { get; init; }

    /// <summary>Bars of history before t that the value at t depends on (max over all paths to the inputs).</summary>
    public int Lookback { get; init; }

    /// <summary>Bars after t that the value at t depends on; non-zero only where Ref looks ahead (labels).</summary>
    public int Lookahead { get; init; }
}
