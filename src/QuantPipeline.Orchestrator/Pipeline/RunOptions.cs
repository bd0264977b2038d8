using QuantPipeline.Core.Progress;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>How one run of <see cref="ProductionPipeline"/> goes.</summary>
public sealed record RunOptions
{
    public static RunOptions Default { get; } = new();

    /// <summary>Recompute every stage even where a completed output with the same key exists (registration stays idempotent).</summary>
    public bool Force { get; init; }

    /// <summary>Cancels between stages and inside training; the run record then says cancelled and partial outputs are discarded.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Receives training progress (samples over all epochs) and a step per finished stage.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>
    /// The last stage to run (prepare, features, train, validate, gate, register, deploy or monitor), or null for all.
    /// Outputs of the stages that ran are stored, so a later full run, here or on another machine sharing the working
    /// folder, reuses them.
    /// </summary>
    public string? StopAfter { get; init; }
}
