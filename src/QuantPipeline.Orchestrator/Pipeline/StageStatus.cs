namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>The states a stage (and a run) can be in, as written to run records.</summary>
public static class StageStatus
{
    public const string Running = "running";

    /// <summary>Computed in this run.</summary>
    public const string Ok = "ok";

    /// <summary>A completed output with the same content key was found, verified and loaded instead of recomputing.</summary>
    public const string Reused = "reused";

    public const string Skipped = "skipped";

    public const string Failed = "failed";

    public const string Cancelled = "cancelled";

    /// <summary>The process died while the stage or run was running (found by the next run of the same model and as-of).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>A run that finished every stage it was asked for.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The stages in the order they run (ingest only in the demo).</summary>
    public static readonly IReadOnlyList<string> Order = Stages.StageName.Order;
}
