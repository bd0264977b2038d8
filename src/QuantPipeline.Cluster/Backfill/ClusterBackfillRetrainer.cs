using QuantPipeline.Core.Progress;
using QuantPipeline.Cluster.Scheduling;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cluster.Backfill;

/// <summary>
/// The retrain step of a <see cref="WalkForwardBackfill"/> on a cluster. <see cref="Schedule"/> hands every date to the
/// silos at once as units that stop after validate (<see cref="PipelineValidationUnit"/>), so the trainings run in
/// parallel, on GPU silos when there are any. <see cref="Retrain"/>, called in date order, waits for its date's unit and
/// then runs the full idempotent pipeline here: prepare to validate are reused from the shared working folder, and only
/// gate, register and deploy run, in date order, so the registry gets the versions a single-machine backfill gives.
/// A date whose unit fails on the cluster fails the backfill with the silo's error; a date the silos never finish
/// (cancelled) is not registered.
/// </summary>
/// <remarks>
/// The working folder and the config file must be at the same paths on the silos (on the shared storage), and the
/// registry must be one they all reach (PostgreSQL, or a file registry on the shared storage).
/// </remarks>
public sealed class ClusterBackfillRetrainer(
    IUnitDispatcher dispatcher,
    PipelineConfig config,
    string workingDirectory,
    string? configPath,
    IReadOnlyList<string> sets) : IBackfillRetrainer, IDisposable
{
    private readonly Dictionary<DateOnly, TaskCompletionSource<RetrainOutcome>> _outcomes = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _job;

    /// <summary>The silos' outcomes, in date order, as they are committed.</summary>
    public IReadOnlyList<RetrainOutcome> SiloOutcomes
    {
        get
        {
            lock (_outcomes)
            {
                return _outcomes.Values.Where(t => t.Task.IsCompletedSuccessfully).Select(t => t.Task.Result).OrderBy(o => o.AsOf).ToList();
            }
        }
    }

    public void Schedule(IReadOnlyList<DateOnly> dates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dates);
        if (_job is not null)
        {
            throw new InvalidOperationException("A cluster retrainer serves one backfill; make a new one for the next.");
        }

        lock (_outcomes)
        {
            foreach (var date in dates)
            {
                _outcomes[date] = new TaskCompletionSource<RetrainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (dates.Count == 0)
        {
            _job = Task.CompletedTask;
            return;
        }

        var units = ClusterBackfill.Units(dates, workingDirectory, configPath, sets, RetrainExecutor.ValidateUnitKind);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        _job = Task.Run(async () =>
        {
            try
            {
                await ClusterBackfill.RunAsync(dispatcher, units, o => _outcomes[o.AsOf].TrySetResult(o), progress: null, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (_outcomes)
                {
                    foreach (var pending in _outcomes.Values)
                    {
                        if (e is OperationCanceledException)
                        {
                            pending.TrySetCanceled(linked.Token);
                        }
                        else
                        {
                            pending.TrySetException(e);
                        }
                    }
                }
            }
            finally
            {
                linked.Dispose();
            }
        }, CancellationToken.None);
    }

    public PipelineResult Retrain(DateOnly date, Action<StageRecord>? onStageEnd, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        TaskCompletionSource<RetrainOutcome>? scheduled;
        lock (_outcomes)
        {
            _outcomes.TryGetValue(date, out scheduled);
        }

        if (scheduled is null)
        {
            throw new InvalidOperationException($"{date:yyyy-MM-dd} was not scheduled on the cluster; the backfill schedules every date it retrains before the first.");
        }

        RetrainOutcome silo;
        try
        {
            silo = scheduled.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The {date:yyyy-MM-dd} retrain failed on the cluster: {e.Message}", e);
        }

        // Stages reused here were computed by the silo: report the silo's record of them, as a run on one machine would.
        var computed = silo.Stages.Where(s => s.Status == StageStatus.Ok && s.InputHash is not null).ToDictionary(s => (s.Stage, s.InputHash!));
        void OnStageEnd(StageRecord record) =>
            onStageEnd?.Invoke(record.Status == StageStatus.Reused && record.InputHash is { } key && computed.TryGetValue((record.Stage, key), out var onSilo) ? onSilo : record);
        return new ProductionPipeline(config, workingDirectory, onStageEnd is null ? null : OnStageEnd).Run(date, new RunOptions { CancellationToken = cancellationToken, Progress = progress is null ? null : new SiloProgress(progress, silo) });
    }

    /// <summary>
    /// The coordinator's progress as a run on one machine prints it: a stage the silo computed shows the silo's status,
    /// and the silo's training updates come just before the train stage ends, where live training would have shown them.
    /// </summary>
    private sealed class SiloProgress(IProgress<ProgressUpdate> inner, RetrainOutcome silo) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            if (value.Task == ProductionPipeline.RunProgressTask && value.Detail is { } detail && detail.EndsWith(" " + StageStatus.Reused, StringComparison.Ordinal))
            {
                var stage = detail[..^(StageStatus.Reused.Length + 1)];
                if (silo.Stages.LastOrDefault(s => s.Stage == stage && s.Status == StageStatus.Ok) is not null)
                {
                    if (stage == "train")
                    {
                        foreach (var update in silo.Training)
                        {
                            inner.Report(update);
                        }
                    }

                    value = value with { Detail = $"{stage} {StageStatus.Ok}" };
                }
            }

            inner.Report(value);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _job?.Wait();
        }
        catch (AggregateException)
        {
            // The job's errors went to the dates waiting on it.
        }

        _stop.Dispose();
    }
}
