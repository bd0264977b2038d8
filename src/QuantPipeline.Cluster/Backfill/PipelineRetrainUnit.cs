using QuantPipeline.Cluster.Units;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>Binds a backfill date to the production pipeline: <see cref="ProductionPipeline.Run(DateOnly)"/> in the shared working folder (prepare → … → register).</summary>
public sealed class PipelineRetrainUnit : IRetrainUnit
{
    public bool RegistersOnSilo => true;

    public RetrainOutcome Run(RetrainPayload payload, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var config = PipelineConfigFile.Load(payload.ConfigPath, payload.Sets);
        var result = new ProductionPipeline(config, payload.WorkingDirectory).Run(payload.AsOf);
        return RetrainOutcome.Of(result);
    }
}
