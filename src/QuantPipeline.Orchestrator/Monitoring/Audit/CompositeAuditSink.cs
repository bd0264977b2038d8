namespace QuantPipeline.Orchestrator.Monitoring.Audit;

/// <summary>Appends every entry to each sink in order (e.g. the monitoring JSON-lines log and the registry's audit trail).</summary>
public sealed class CompositeAuditSink(params IAuditSink[] sinks) : IAuditSink
{
    public void Append(AuditEvent entry)
    {
        foreach (var sink in sinks)
        {
            sink.Append(entry);
        }
    }
}
