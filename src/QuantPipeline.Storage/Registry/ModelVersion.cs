namespace QuantPipeline.Storage.Registry;

/// <summary>What is registered for a new model version.</summary>
public sealed record ModelVersionRequest(
    string ModelName,
    DateOnly AsOf,
    string Status,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Parameters,
    string ArtifactPath,
    string ArtifactSha256)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public ModelLineage? Lineage { get; init; }
}

/// <summary>A registered, immutable model version.</summary>
public sealed record ModelVersion(
    string ModelName,
    int Version,
    DateOnly AsOf,
    string Status,
    DateTime CreatedAtUtc,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Parameters,
    string ArtifactPath,
    string ArtifactSha256)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public ModelLineage? Lineage { get; init; }

    /// <summary>Who registered it (user@host); empty for versions written before actors were recorded.</summary>
    public string RegisteredBy { get; init; } = string.Empty;

    public string Reference => $"{ModelName}@{Version}";
}
