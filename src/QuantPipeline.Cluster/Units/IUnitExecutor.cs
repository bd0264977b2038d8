namespace QuantPipeline.Cluster.Units;

/// <summary>
/// Runs one kind of unit on a silo. It writes any bulky output under <see cref="UnitContext.OutputDirectory"/> with
/// <see cref="UnitContext.WriteAtomically"/> and returns a small JSON result. It must be deterministic in its request:
/// the same key may run twice (on two silos) when a silo is thought lost.
/// </summary>
public interface IUnitExecutor
{
    string Kind { get; }

    string Execute(UnitRequest request, UnitContext context, CancellationToken cancellationToken);
}
