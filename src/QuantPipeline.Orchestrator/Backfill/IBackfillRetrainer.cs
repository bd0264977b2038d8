using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>
/// The retrain step of a <see cref="WalkForwardBackfill"/>. The backfill tells it once which dates it will retrain, then
/// asks for each in date order, so versions are registered in date order wherever the training ran: on this machine
/// (<see cref="LocalBackfillRetrainer"/>) or ahead of time on a cluster that stops before registering, the full run
/// here then reusing its stage outputs from the shared working folder.
/// </summary>
public interface IBackfillRetrainer
{
    /// <summary>The dates not registered yet, in date order, before the first <see cref="Retrain"/>.</summary>
    void Schedule(IReadOnlyList<DateOnly> dates, CancellationToken cancellationToken);

    /// <summary>
    /// The full pipeline run as of <paramref name="date"/> (gate, register, deploy included), reporting each stage to
    /// <paramref name="onStageEnd"/> and the run's stages and training (where it trains here) to <paramref name="progress"/>.
    /// </summary>
    PipelineResult Retrain(DateOnly date, Action<StageRecord>? onStageEnd, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken);
}
