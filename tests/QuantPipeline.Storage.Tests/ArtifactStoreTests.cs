using System.Security.Cryptography;
using QuantPipeline.Storage.Artifacts;

namespace QuantPipeline.Storage.Tests;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-artifacts-").FullName;

    private string Source(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Artifacts_are_stored_under_their_sha256_once()
    {
        var store = new ContentAddressedArtifactStore(Path.Combine(_dir, "store"));
        var bytes = "weights"u8.ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var (sha, path) = store.Put(Source("a.pt", bytes));
        Assert.Equal(expected, sha);
        Assert.Equal(Path.Combine(_dir, "store", "sha256", expected[..2], expected + ".pt"), path);
        var (again, samePath) = store.Put(Source("b.pt", bytes), move: true);
        Assert.Equal((sha, path), (again, samePath));
        Assert.False(File.Exists(Path.Combine(_dir, "b.pt")));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "store"), "*", SearchOption.AllDirectories));
        Assert.Equal(bytes, ContentAddressedArtifactStore.ReadAllVerified(path, sha));
    }

    [Fact]
    public void A_tampered_artifact_is_refused_with_both_hashes_and_what_to_do()
    {
        var store = new ContentAddressedArtifactStore(Path.Combine(_dir, "store"));
        var (sha, path) = store.Put(Source("m.pt", [1, 2, 3, 4]));
        File.WriteAllBytes(path, [1, 2, 3, 5]);
        var e = Assert.Throws<ArtifactIntegrityException>(() => ContentAddressedArtifactStore.ReadAllVerified(path, sha, "m@1"));
        var actual = Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 3, 5 }));
        Assert.Equal(actual, e.ActualSha256);
        Assert.Contains(sha, e.Message);
        Assert.Contains(actual, e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains("m@1", e.Message);
        Assert.Contains("altered", e.Message);

        File.Delete(path);
        var missing = Assert.Throws<ArtifactIntegrityException>(() => ContentAddressedArtifactStore.Verify(path, sha));
        Assert.Null(missing.ActualSha256);
        Assert.Contains("missing", missing.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
