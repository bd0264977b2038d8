using System.Text.Json.Serialization;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// The durable record of one run (<c>runs/&lt;run id&gt;.json</c>), rewritten atomically at every stage start and end,
/// so that after a crash it says which stage was running and which had completed.
/// </summary>
public sealed class RunRecord
{
    public required string RunId { get; init; }

    /// <summary>running, succeeded, failed, cancelled, or interrupted (the process died; set by the next run).</summary>
    public string Status { get; set; } = StageStatus.Running;

    public required string Model { get; init; }

    public required DateOnly RequestedAsOf { get; init; }

    /// <summary>The last stored session at or before the requested as-of, once prepare has run.</summary>
    public DateOnly? AsOf { get; set; }

    public required string ConfigHash { get; init; }

    public required string CodeVersion { get; init; }

    public int ProcessId { get; init; } = Environment.ProcessId;

    public string Host { get; init; } = Environment.MachineName;

    public DateTime StartedUtc { get; init; } = DateTime.UtcNow;

    public DateTime? EndedUtc { get; set; }

    public string? Error { get; set; }

    public bool Force { get; init; }

    public string? StopAfter { get; init; }

    public List<StageRecord> Stages { get; init; } = [];

    public int? Version { get; set; }

    public bool? GatePassed { get; set; }

    /// <summary>The gate decision with every rule, as printed.</summary>
    public string? Gate { get; set; }

    public bool? Deployed { get; set; }

    public string? SignalsPath { get; set; }

    public string? ReportPath { get; set; }

    public PipelineConfig? Config { get; init; }

    /// <summary>True for a run that completed every stage (not stopped early): its as-of counts as done for <c>qp due</c>.</summary>
    [JsonIgnore]
    public bool Completed => Status == StageStatus.Succeeded && StopAfter is null;
}
