namespace QuantPipeline.Orchestrator.Monitoring.Alerts;

/// <summary>Somewhere alerts go. A sink throws when it could not deliver; the dispatcher records that and carries on.</summary>
public interface IAlertSink
{
    string Name { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken = default);
}
