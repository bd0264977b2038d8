namespace QuantPipeline.Orchestrator.Pipeline;

public sealed record StageRecord(string Stage, string Status, DateTime StartedUtc, double Seconds, string Detail, string? Error = null);

/// <summary>Runs named stages in order, timing each and recording its outcome.</summary>
public sealed class StageRunner(Action<StageRecord>? onStageEnd = null)
{
    private readonly List<StageRecord> _records = [];

    public IReadOnlyList<StageRecord> Records => _records;

    public T Run<T>(string stage, Func<(T Result, string Detail)> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var started = DateTime.UtcNow;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var (result, detail) = body();
            Finish(new StageRecord(stage, "ok", started, watch.Elapsed.TotalSeconds, detail));
            return result;
        }
        catch (Exception e)
        {
            Finish(new StageRecord(stage, "failed", started, watch.Elapsed.TotalSeconds, string.Empty, e.Message));
            throw new PipelineStageException(stage, e);
        }
    }

    public void Skip(string stage, string reason) =>
        Finish(new StageRecord(stage, "skipped", DateTime.UtcNow, 0, reason));

    private void Finish(StageRecord record)
    {
        _records.Add(record);
        onStageEnd?.Invoke(record);
    }
}

public sealed class PipelineStageException(string stage, Exception inner)
    : Exception($"Stage '{stage}' failed: {inner.Message}", inner)
{
    public string Stage { get; } = stage;
}
