namespace QuantPipeline.Core.Progress;

/// <summary>
/// One step of long work (ingest, features, training, backfill), reported through <see cref="IProgress{T}"/>.
/// <paramref name="Total"/> is 0 when the amount of work is unknown; the console renders a bar with ETA from these.
/// </summary>
/// <param name="Task">Stable name of the piece of work, e.g. "backfill" or "train 2024-03-01".</param>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in all, or 0 when unknown.</param>
/// <param name="Detail">A short line on the latest unit.</param>
public sealed record ProgressUpdate(string Task, long Done, long Total, string? Detail = null);
