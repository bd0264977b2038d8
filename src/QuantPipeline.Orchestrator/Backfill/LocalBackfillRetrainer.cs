using QuantPipeline.Core.Progress;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>Retrains each date here, when it is asked for.</summary>
public sealed class LocalBackfillRetrainer(PipelineConfig config, string workingDirectory) : IBackfillRetrainer
{
    public void Schedule(IReadOnlyList<DateOnly> dates, CancellationToken cancellationToken)
    {
    }

    public PipelineResult Retrain(DateOnly date, Action<StageRecord>? onStageEnd, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken) =>
        new ProductionPipeline(config, workingDirectory, onStageEnd).Run(date, new RunOptions { CancellationToken = cancellationToken, Progress = progress });
}
