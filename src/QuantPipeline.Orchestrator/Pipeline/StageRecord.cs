namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>One stage's outcome (see <see cref="StageStatus"/>) with its timing and, for content-addressed stages, its hashes.</summary>
public sealed record StageRecord(string Stage, string Status, DateTime StartedUtc, double Seconds, string Detail, string? Error = null)
{
    public DateTime? EndedUtc { get; init; }

    /// <summary>The stage's content key: a hash of its inputs' hashes, the canonical configuration and the code version.</summary>
    public string? InputHash { get; init; }

    /// <summary>The hash of the stage's stored output (its manifest of file hashes).</summary>
    public string? OutputHash { get; init; }

    /// <summary>Attempts made; more than one when transient failures (a held lock) were retried.</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>
/// Runs named stages in order, timing each and recording its outcome. With an output store, content-addressed stages
/// reuse a verified output of the same key instead of recomputing it (unless forced); transient failures are retried
/// with backoff, and cancellation is observed between and inside stages.
/// </summary>
public sealed class StageRunner(Action<StageRecord>? onStageEnd = null)
{
    private readonly List<StageRecord> _records = [];

    public IReadOnlyList<StageRecord> Records => _records;

    public StageOutputStore? Outputs { get; init; }

    public bool Force { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public TransientRetry Retry { get; init; } = TransientRetry.None;

    /// <summary>Told when a stage starts (a record with status running).</summary>
    public Action<StageRecord>? OnStageStart { get; init; }

    /// <summary>Told of each transient failure before the wait: stage, attempt, error, delay.</summary>
    public Action<string, int, Exception, TimeSpan>? OnRetry { get; init; }

    public T Run<T>(string stage, Func<(T Result, string Detail)> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var started = Start(stage, notify: true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var attempts = 0;
        try
        {
            var (result, detail) = Retry.Run(() => { attempts++; return body(); }, CancellationToken, (a, e, d) => OnRetry?.Invoke(stage, a, e, d));
            CancellationToken.ThrowIfCancellationRequested();
            Finish(new StageRecord(stage, StageStatus.Ok, started, watch.Elapsed.TotalSeconds, detail) { Attempts = attempts });
            return result;
        }
        catch (Exception e)
        {
            throw Fail(stage, started, watch, attempts, null, e);
        }
    }

    /// <summary>
    /// A content-addressed stage: the key (computed inside the stage, so its reads are retried and timed too) names the
    /// output; a verified stored output is loaded, otherwise the stage computes and the output is saved atomically.
    /// </summary>
    public (T Result, string OutputHash) Cached<T>(
        string stage,
        Func<string> key,
        Func<(T Result, string Detail)> compute,
        Action<T, string> save,
        Func<string, (T Result, string Detail)?> load)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(load);
        // Announced once its key is known, so the record of a running stage names its inputs.
        var started = Start(stage, notify: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var attempts = 0;
        string? inputHash = null;
        try
        {
            inputHash = Retry.Run(() => { attempts++; return key(); }, CancellationToken, (a, e, d) => OnRetry?.Invoke(stage, a, e, d));
            // A stored output whose load says no (null) is stale, e.g. a registration the registry no longer has: recompute.
            if (Outputs is not null && !Force && Outputs.TryOpen(stage, inputHash, out var directory, out var storedHash) && load(directory) is (var loaded, var loadedDetail))
            {
                Finish(new StageRecord(stage, StageStatus.Reused, started, watch.Elapsed.TotalSeconds, $"reused {Path.GetRelativePath(Path.GetDirectoryName(Outputs.Root)!, directory)}: {loadedDetail}")
                {
                    InputHash = inputHash,
                    OutputHash = storedHash,
                    Attempts = attempts,
                });
                return (loaded, storedHash);
            }

            OnStageStart?.Invoke(new StageRecord(stage, StageStatus.Running, started, 0, string.Empty) { InputHash = inputHash });
            Core.Diagnostics.PausePoints.Reach("stage." + stage, CancellationToken);
            var keyAttempts = attempts;
            attempts = 0;
            var (result, detail) = Retry.Run(() => { attempts++; return compute(); }, CancellationToken, (a, e, d) => OnRetry?.Invoke(stage, a, e, d));
            CancellationToken.ThrowIfCancellationRequested();
            var outputHash = inputHash;
            if (Outputs is not null)
            {
                (_, outputHash) = Outputs.Save(stage, inputHash, dir => save(result, dir), CancellationToken);
            }

            Finish(new StageRecord(stage, StageStatus.Ok, started, watch.Elapsed.TotalSeconds, detail) { InputHash = inputHash, OutputHash = outputHash, Attempts = Math.Max(keyAttempts, attempts) });
            return (result, outputHash);
        }
        catch (Exception e)
        {
            throw Fail(stage, started, watch, attempts, inputHash, e);
        }
    }

    public void Skip(string stage, string reason) =>
        Finish(new StageRecord(stage, StageStatus.Skipped, DateTime.UtcNow, 0, reason) { EndedUtc = DateTime.UtcNow });

    private DateTime Start(string stage, bool notify)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var started = DateTime.UtcNow;
        if (notify)
        {
            OnStageStart?.Invoke(new StageRecord(stage, StageStatus.Running, started, 0, string.Empty));
        }

        return started;
    }

    private Exception Fail(string stage, DateTime started, System.Diagnostics.Stopwatch watch, int attempts, string? inputHash, Exception e)
    {
        if (e is OperationCanceledException && CancellationToken.IsCancellationRequested)
        {
            Finish(new StageRecord(stage, StageStatus.Cancelled, started, watch.Elapsed.TotalSeconds, "cancelled; partial output discarded") { InputHash = inputHash, Attempts = Math.Max(attempts, 1) });
            return new OperationCanceledException($"Stage '{stage}' was cancelled.", e, CancellationToken);
        }

        Finish(new StageRecord(stage, StageStatus.Failed, started, watch.Elapsed.TotalSeconds, string.Empty, e.Message) { InputHash = inputHash, Attempts = Math.Max(attempts, 1) });
        return new PipelineStageException(stage, e);
    }

    private void Finish(StageRecord record)
    {
        record = record.EndedUtc is null ? record with { EndedUtc = DateTime.UtcNow } : record;
        _records.Add(record);
        onStageEnd?.Invoke(record);
    }
}

public sealed class PipelineStageException(string stage, Exception inner)
    : Exception($"Stage '{stage}' failed: {inner.Message}", inner)
{
    public string Stage { get; } = stage;
}
