using System.Diagnostics;
using System.Text.Json;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Storage.Artifacts;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// Content-addressed stage outputs under <c>stages/&lt;stage&gt;/&lt;key&gt;/</c>. An output is written into a private
/// temporary folder, its files hashed into <c>manifest.json</c>, and the folder renamed into place in one step, so
/// a reader finds either nothing or a complete output; a reader re-hashes every file against the manifest before
/// using it and discards an output that does not match.
/// </summary>
public sealed class StageOutputStore(string workingDirectory)
{
    public const string ManifestName = "manifest.json";

    private const string TempPrefix = ".tmp-";

    public string Root { get; } = Path.Combine(Path.GetFullPath(workingDirectory), "stages");

    public string PathOf(string stage, string key) => Path.Combine(Root, stage, key[..Math.Min(32, key.Length)]);

    /// <summary>The verified output folder and its hash (the manifest's SHA-256), or false when there is none or it is damaged.</summary>
    public bool TryOpen(string stage, string key, out string directory, out string outputHash)
    {
        directory = PathOf(stage, key);
        outputHash = string.Empty;
        var manifestPath = Path.Combine(directory, ManifestName);
        if (!File.Exists(manifestPath))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(manifestPath);
            var manifest = JsonSerializer.Deserialize<StageManifest>(text)
                ?? throw new InvalidDataException("empty manifest");
            if (manifest.Key != key || manifest.Stage != stage)
            {
                throw new InvalidDataException($"manifest is for {manifest.Stage} {manifest.Key}");
            }

            foreach (var (name, sha) in manifest.Files)
            {
                var file = Path.Combine(directory, name);
                if (!File.Exists(file) || ContentHash.Sha256OfFile(file) != sha)
                {
                    throw new InvalidDataException($"{name} does not match its recorded hash");
                }
            }

            outputHash = LineageHashes.Sha256(text);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            // A damaged output is never read: move it out of the way so the stage recomputes it.
            Discard(directory);
            return false;
        }
    }

    /// <summary>Writes an output through <paramref name="write"/> (given an empty folder) and publishes it; returns the folder and its hash.</summary>
    public (string Directory, string OutputHash) Save(string stage, string key, Action<string> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var final = PathOf(stage, key);
        var parent = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            cancellationToken.ThrowIfCancellationRequested();
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(temp))
            {
                FlushToDisk(file);
                files[Path.GetFileName(file)] = ContentHash.Sha256OfFile(file);
            }

            var manifest = JsonSerializer.Serialize(new StageManifest(stage, key, files));
            AtomicFile.WriteAllText(Path.Combine(temp, ManifestName), manifest);
            if (Directory.Exists(final))
            {
                // A damaged or half-deleted earlier output (TryOpen said no): replace it.
                Discard(final);
            }

            try
            {
                Directory.Move(temp, final);
            }
            catch (IOException) when (TryOpen(stage, key, out _, out var theirs))
            {
                // Another process published the same key first; its output is equivalent.
                Directory.Delete(temp, recursive: true);
                return (final, theirs);
            }

            // The files were hashed just above; the published folder is the same bytes under a new name.
            return (final, LineageHashes.Sha256(manifest));
        }
        catch
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Deletes temporary folders left by processes that no longer run (a run killed mid-stage).</summary>
    public int RemoveAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var stageDir in Directory.GetDirectories(Root))
        {
            foreach (var dir in Directory.GetDirectories(stageDir, TempPrefix + "*"))
            {
                if (OwnerGone(Path.GetFileName(dir)[TempPrefix.Length..]))
                {
                    Directory.Delete(dir, recursive: true);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>True when the process id that starts <paramref name="name"/> ("1234-…") is not running.</summary>
    internal static bool OwnerGone(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var digits = dash < 0 ? name : name[..dash];
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static void Discard(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var aside = Path.Combine(Path.GetDirectoryName(directory)!, $"{TempPrefix}{Environment.ProcessId}-discard-{Guid.NewGuid():N}");
        Directory.Move(directory, aside);
        Directory.Delete(aside, recursive: true);
    }

    private static void FlushToDisk(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
    }

    private sealed record StageManifest(string Stage, string Key, SortedDictionary<string, string> Files);
}
