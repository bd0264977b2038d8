namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Names shared by the pipeline, the monitor and the registry.</summary>
public static class MonitoringNames
{
    /// <summary>Registry parameter holding the path of a model version's monitoring reference.</summary>
    public const string ReferenceParameter = "monitoring_reference";

    /// <summary>Name of the prediction distribution among the drift figures.</summary>
    public const string Prediction = "prediction";
}
