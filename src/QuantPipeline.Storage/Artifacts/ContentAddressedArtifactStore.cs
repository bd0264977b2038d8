namespace QuantPipeline.Storage.Artifacts;

/// <summary>
/// Artifacts stored by the SHA-256 of their bytes (<c>root/sha256/ab/abcd….ext</c>): identical artifacts are
/// stored once, a stored file is never overwritten, and every load re-hashes the file and refuses one whose
/// bytes changed.
/// </summary>
public sealed class ContentAddressedArtifactStore(string root)
{
    public string Root { get; } = System.IO.Path.GetFullPath(root);

    /// <summary>Where the artifact with this hash lives.</summary>
    public string PathFor(string sha256, string extension = "")
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256 (64 hex characters).", nameof(sha256));
        }

        var lower = sha256.ToLowerInvariant();
        return System.IO.Path.Combine(Root, "sha256", lower[..2], lower + extension);
    }

    /// <summary>Moves (or copies) a finished file into the store; returns its hash and stored path.</summary>
    public (string Sha256, string Path) Put(string sourceFile, bool move = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceFile);
        var sha = ContentHash.Sha256OfFile(sourceFile);
        var target = PathFor(sha, System.IO.Path.GetExtension(sourceFile) is ".tmp" ? System.IO.Path.GetExtension(System.IO.Path.GetFileNameWithoutExtension(sourceFile)) : System.IO.Path.GetExtension(sourceFile));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        if (File.Exists(target) && ContentHash.Sha256OfFile(target) == sha)
        {
            if (move)
            {
                File.Delete(sourceFile);
            }

            return (sha, target);
        }

        // Stage next to the target, then rename: a reader never sees a half-written artifact under its hash.
        var staging = target + $".{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        if (move)
        {
            File.Move(sourceFile, staging);
        }
        else
        {
            File.Copy(sourceFile, staging);
        }

        File.Move(staging, target, overwrite: true);
        return (sha, target);
    }

    /// <summary>Checks a file against its recorded hash; throws <see cref="ArtifactIntegrityException"/> naming both hashes when they differ.</summary>
    public static void Verify(string path, string expectedSha256, string? owner = null) => ReadAllVerified(path, expectedSha256, owner);

    /// <summary>Reads a file once and verifies the bytes it returns, so what is checked is exactly what is used.</summary>
    public static byte[] ReadAllVerified(string path, string expectedSha256, string? owner = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var what = owner is null ? "Artifact" : $"Artifact of {owner}";
        if (!File.Exists(path))
        {
            throw new ArtifactIntegrityException(path, expectedSha256, null,
                $"{what} is missing: {path} does not exist (expected SHA-256 {expectedSha256}). Restore it from a backup of the artifact store, or retrain with `qp reproduce`.");
        }

        var bytes = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactIntegrityException(path, expectedSha256, actual,
                $"{what} at {path} was altered or corrupted: its SHA-256 is {actual} but the registry recorded {expectedSha256}. Refusing to load it; restore the file from a backup of the artifact store, or retrain with `qp reproduce`.");
        }

        return bytes;
    }
}
