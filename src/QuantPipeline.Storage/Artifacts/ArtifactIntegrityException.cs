namespace QuantPipeline.Storage.Artifacts;

/// <summary>An artifact whose bytes no longer hash to the SHA-256 recorded for it, or that is missing.</summary>
public sealed class ArtifactIntegrityException(string path, string expectedSha256, string? actualSha256, string message)
    : Exception(message)
{
    public string Path { get; } = path;

    public string ExpectedSha256 { get; } = expectedSha256;

    /// <summary>Null when the file is missing.</summary>
    public string? ActualSha256 { get; } = actualSha256;
}
