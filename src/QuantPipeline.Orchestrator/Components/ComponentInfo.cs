namespace QuantPipeline.Orchestrator.Components;

/// <summary>A registered component: its name in qp.yaml, the version recorded in lineage, and what it does.</summary>
/// <typeparam name="T">What the name stands for (a model kind, a normalisation, a factory).</typeparam>
public sealed record ComponentInfo<T>(string Name, string Version, string Description, T Value);
