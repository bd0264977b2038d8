using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// What a retrain reports back to the coordinator: the registered version (0 when the unit stops before registering), its
/// headline metrics, the model artifact's hash (empty before registering) and the stages the silo ran.
/// </summary>
public sealed record RetrainOutcome(DateOnly AsOf, string ModelName, int Version, double Sharpe, double MaxDrawdown, bool GatePassed, string RunId, string ArtifactSha256 = "")
{
    public IReadOnlyList<StageRecord> Stages { get; init; } = [];

    /// <summary>
    /// The training progress the silo reported, in order, so the coordinator shows the same lines as a run on one
    /// machine (where training is watched live).
    /// </summary>
    public IReadOnlyList<ProgressUpdate> Training { get; init; } = [];

    public static RetrainOutcome Of(PipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RetrainOutcome(result.AsOf, result.ModelName, result.Version, result.Metrics.Sharpe, result.Metrics.MaxDrawdown, result.Gate.Passed, result.RunId, result.ArtifactSha256)
        {
            Stages = result.Stages,
        };
    }
}
