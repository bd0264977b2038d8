namespace QuantPipeline.Cluster.Scheduling;

/// <summary>
/// How the coordinator drives a cluster. A unit goes back to the queue when the membership declares its silo dead (the
/// silos' liveness probes, see <c>--probe-timeout</c>), when its silo no longer knows it (restarted), or, as a last
/// resort for a silo that hangs while the membership still lists it, after <see cref="MissedPollsLimit"/> unanswered
/// polls in a row (each given <see cref="CallTimeout"/>). A slow silo is not a lost one: its units are left to it.
/// <see cref="MaxInFlight"/> = 1 runs units one at a time in order (still placed and re-run on failure), for units
/// whose side effects must happen in order.
/// </summary>
public sealed record ClusterDispatchOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MissedPollsLimit { get; init; } = 20;

    public TimeSpan MembershipRefresh { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan NoSiloTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxInFlight { get; init; } = int.MaxValue;

    /// <summary>A unit that fails on this many silos fails the job (a deterministic error would fail everywhere).</summary>
    public int MaxFailures { get; init; } = 2;
}
