using QuantPipeline.Core.Progress;
using QuantPipeline.Cluster.Units;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// A backfill date's heavy part on a silo: <see cref="ProductionPipeline.Run(DateOnly, RunOptions)"/> stopping after
/// validate (prepare → features → train → validate) in the shared working folder. Its stage outputs are stored there by
/// content key, so the coordinator's full run of the same date reuses them and only gates, registers and deploys, in
/// date order; dates therefore run in parallel.
/// </summary>
public sealed class PipelineValidationUnit : IRetrainUnit
{
    public const string StopAfter = "validate";

    public bool RegistersOnSilo => false;

    public RetrainOutcome Run(RetrainPayload payload, UnitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var config = PipelineConfigFile.Load(payload.ConfigPath, payload.Sets);
        var training = new TrainingRecorder();
        var result = new ProductionPipeline(config, payload.WorkingDirectory).Run(payload.AsOf, new RunOptions { StopAfter = StopAfter, CancellationToken = cancellationToken, Progress = training });
        return RetrainOutcome.Of(result) with { Training = training.Updates };
    }

    /// <summary>Keeps the run's training updates (synchronously, in order); stage updates are the coordinator's own.</summary>
    private sealed class TrainingRecorder : IProgress<ProgressUpdate>
    {
        private readonly List<ProgressUpdate> _updates = [];

        public IReadOnlyList<ProgressUpdate> Updates => _updates;

        public void Report(ProgressUpdate value)
        {
            if (value.Task != ProductionPipeline.RunProgressTask)
            {
                _updates.Add(value);
            }
        }
    }
}
