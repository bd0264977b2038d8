namespace QuantPipeline.Orchestrator.Monitoring.Audit;

/// <summary>One entry of the audit trail: what happened, when, and its details as a JSON object.</summary>
public sealed record AuditEvent(string Type, DateTime TimestampUtc, string PayloadJson);

/// <summary>
/// Where monitoring writes its audit trail (every alert, every retrain decision and outcome).
/// Append must be durable when it returns and must not reorder entries.
/// </summary>
public interface IAuditSink
{
    void Append(AuditEvent entry);
}
