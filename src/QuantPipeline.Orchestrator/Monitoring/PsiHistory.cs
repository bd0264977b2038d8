namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>
/// PSI over time from one monitoring run: for each session of the decay history (once a full drift window has
/// passed), the PSI of the trailing drift window of every feature and of the predictions against the monitored
/// version's training reference. The last session's figures are the run's drift figures.
/// </summary>
/// <param name="Psi">Psi[i][s]: series i (in <paramref name="Names"/> order) at session s.</param>
public sealed record PsiHistory(
    IReadOnlyList<DateOnly> Sessions,
    IReadOnlyList<string> Names,
    IReadOnlyList<double[]> Psi,
    int WindowSessions);
