using System.Text.Json;
using QuantPipeline.Orchestrator.Monitoring.Audit;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>The record of one retrain decision and, when it ran, its result.</summary>
/// <param name="Deployed">True only when the new version passed the gate and its signals were written.</param>
public sealed record RetrainOutcome(
    DateOnly AsOf,
    IReadOnlyList<string> Reasons,
    bool Triggered,
    string? RunId,
    int? NewVersion,
    bool? GatePassed,
    bool Deployed,
    string? GateSummary,
    string? Error,
    DateTime RecordedUtc);

/// <summary>
/// Acts on a retrain decision: runs the production pipeline for the as-of (which trains, validates, gates,
/// registers, and deploys only on a pass), then appends the outcome to a JSON-lines file and the audit sink.
/// A failed run is recorded, not thrown, so monitoring itself completes.
/// </summary>
public sealed class RetrainTrigger(Func<DateOnly, PipelineResult> runPipeline, IAuditSink audit, string outcomesPath)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lock Gate = new();

    public string OutcomesPath { get; } = Path.GetFullPath(outcomesPath);

    /// <summary>Runs the pipeline of the given working folder and config.</summary>
    public static RetrainTrigger ForPipeline(ProductionPipeline pipeline, IAuditSink audit, string outcomesPath)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return new RetrainTrigger(pipeline.Run, audit, outcomesPath);
    }

    public RetrainOutcome Execute(DateOnly asOf, RetrainDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        RetrainOutcome outcome;
        if (!decision.Retrain)
        {
            outcome = new RetrainOutcome(asOf, decision.Reasons, false, null, null, null, false, null, null, DateTime.UtcNow);
        }
        else
        {
            try
            {
                var result = runPipeline(asOf);
                outcome = new RetrainOutcome(asOf, decision.Reasons, true, result.RunId, result.Version, result.Gate.Passed, result.SignalsPath is not null, result.Gate.Describe(), null, DateTime.UtcNow);
            }
            catch (PipelineStageException e)
            {
                outcome = new RetrainOutcome(asOf, decision.Reasons, true, null, null, null, false, null, e.Message, DateTime.UtcNow);
            }
        }

        var json = JsonSerializer.Serialize(outcome, Json);
        Alerts.JsonLines.Append(OutcomesPath, json, Gate);
        audit.Append(new AuditEvent("retrain", outcome.RecordedUtc, json));
        return outcome;
    }

    public static IReadOnlyList<RetrainOutcome> Read(string path) =>
        File.Exists(path)
            ? [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<RetrainOutcome>(l, Json)!)]
            : [];
}
