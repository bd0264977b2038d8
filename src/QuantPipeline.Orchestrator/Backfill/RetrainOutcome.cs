namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>
/// One retrain of a backfill: the version it registered, the gate's decision and validation Sharpe, and the
/// out-of-sample window [<paramref name="TestFrom"/>, <paramref name="TestTo"/>] scored by <paramref name="PredictedBy"/>,
/// the version in production after this retrain (this one if the gate passed, else the last one that did; this one
/// when none has passed yet).
/// </summary>
public sealed record RetrainOutcome(
    DateOnly Date,
    int Version,
    bool GatePassed,
    double ValidationSharpe,
    int PredictedBy,
    DateOnly TestFrom,
    DateOnly TestTo,
    int TestSessions,
    string DataSnapshot,
    bool Reused);
