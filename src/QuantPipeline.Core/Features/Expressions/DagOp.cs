namespace QuantPipeline.Core.Features.Expressions;

/// <summary>What a node of the compiled graph computes; each maps onto one <see cref="Compute.IComputeBackend"/> call.</summary>
public enum DagOp
{
    /// <summary>An input field, read from the caller's buffers (no copy).</summary>
    Field,

    /// <summary>A number broadcast to every cell.</summary>
    Constant,
    Unary,
    Binary,
    Where,
    Shift,
    Diff,
    Rolling,
    RollingPair,
    Ewm,
    Rsi,
    CrossSectional,
}
