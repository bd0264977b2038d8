namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>What a walk-forward backfill covers and how it runs.</summary>
public sealed record BackfillOptions
{
    /// <summary>First date of the range; the first retrain is the first scheduled session on or after it.</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last date of the range; out-of-sample predictions run up to the last session on or before it.</summary>
    public required DateOnly To { get; init; }

    /// <summary>daily | weekly | monthly | quarterly; null: the configuration's retraining_frequency.</summary>
    public string? Frequency { get; init; }

    /// <summary>Out-of-sample windows scored at the same time as the next retrains train (at least 1).</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>Where the stitched series and the report go; null: backfill/MODEL/FROM_TO under the working folder.</summary>
    public string? OutputDirectory { get; init; }
}
