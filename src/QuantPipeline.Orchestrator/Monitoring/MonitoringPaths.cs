namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Where monitoring keeps its files inside a pipeline working folder.</summary>
public sealed record MonitoringPaths(string WorkingDirectory)
{
    public string Folder => Path.Combine(Path.GetFullPath(WorkingDirectory), "monitoring");

    public string Alerts => Path.Combine(Folder, "alerts.jsonl");

    public string Audit => Path.Combine(Folder, "audit.jsonl");

    public string DeduplicationState => Path.Combine(Folder, "alert-state.json");

    public string Retrains => Path.Combine(Folder, "retrains.jsonl");
}
