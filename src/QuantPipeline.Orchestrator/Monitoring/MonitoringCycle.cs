using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>What one monitoring cycle did.</summary>
/// <param name="Retrain">The outcome when retraining was allowed, else null (the decision is still reported).</param>
public sealed record MonitoringCycleResult(
    MonitoringResult Monitoring,
    IReadOnlyList<AlertDelivery> Deliveries,
    RetrainDecision Decision,
    RetrainOutcome? Retrain);

/// <summary>
/// One cycle as the scheduler runs it: monitor the production model, send the alerts (deduplicated, audited),
/// ask the retrain policy, and when allowed start the retrain and record its outcome.
/// </summary>
public sealed class MonitoringCycle(ModelMonitor monitor, AlertDispatcher dispatcher, RetrainPolicy policy, RetrainTrigger? trigger)
{
    public async Task<MonitoringCycleResult> RunAsync(DateOnly asOf, DateTime? raisedUtc = null, CancellationToken cancellationToken = default)
    {
        var monitoring = monitor.Run(asOf, raisedUtc);
        var deliveries = await dispatcher.DispatchAsync(monitoring.Alerts, cancellationToken).ConfigureAwait(false);
        var decision = policy.Decide(monitoring);
        var outcome = trigger?.Execute(asOf, decision);
        return new MonitoringCycleResult(monitoring, deliveries, decision, outcome);
    }
}
