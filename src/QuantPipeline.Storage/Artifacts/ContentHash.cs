using System.Security.Cryptography;

namespace QuantPipeline.Storage.Artifacts;

public static class ContentHash
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
