using System.Text.Json;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Monitoring.Audit;

/// <summary>
/// Monitoring's audit entries in the registry's hash-chained audit trail (the system of record that
/// <c>qp audit verify</c> checks), under the action <c>monitor.&lt;type&gt;</c>.
/// </summary>
public sealed class RegistryAuditSink(string registryUri, string workingDirectory) : IAuditSink
{
    public void Append(AuditEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var registry = ModelRegistry.Open(registryUri, workingDirectory);
        using var payload = JsonDocument.Parse(entry.PayloadJson);
        var action = entry.Type.StartsWith("monitor.", StringComparison.Ordinal) ? entry.Type : "monitor." + entry.Type;
        registry.Audit.Append(action, payload.RootElement.Clone());
    }
}
