using QuantPipeline.Cluster.Units;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// The work of one backfill date on a silo. <see cref="RegistersOnSilo"/> says whether it also registers the model
/// version: then the dispatcher must run dates one at a time in date order so version numbers match a single-machine
/// backfill; when it stops before registering, dates run in parallel and the coordinator registers in date order.
/// </summary>
public interface IRetrainUnit
{
    bool RegistersOnSilo { get; }

    RetrainOutcome Run(RetrainPayload payload, UnitContext context, CancellationToken cancellationToken);
}
