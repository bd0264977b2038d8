using System.Security.Cryptography;
using System.Text;

namespace QuantPipeline.Cluster.Units;

/// <summary>
/// The shared folder (a network file system in production): content-addressed inputs under <c>inputs/</c>, one folder
/// per unit key under <c>units/</c> whose <c>done.json</c> is written last. Every file appears by an atomic rename of a
/// complete temporary file in the same folder, so a reader sees the whole file or none, even when the writer is killed.
/// </summary>
public sealed class SharedStore
{
    private const string DoneFile = "done.json";

    public SharedStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Path.Combine(Root, "inputs"));
        Directory.CreateDirectory(Path.Combine(Root, "units"));
    }

    public string Root { get; }

    public string UnitDirectory(string key) => Path.Combine(Root, "units", CheckKey(key));

    /// <summary>The result of a finished unit, or null when no silo has finished it yet.</summary>
    public string? ReadDone(string key)
    {
        var path = Path.Combine(UnitDirectory(key), DoneFile);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void WriteDone(string key, string result) =>
        WriteAtomically(Path.Combine(UnitDirectory(key), DoneFile), s => s.Write(Encoding.UTF8.GetBytes(result)));

    /// <summary>Stores <paramref name="content"/> under its SHA-256 and returns the path relative to the root; a file already there is kept.</summary>
    public string PutInput(ReadOnlySpan<byte> content, string extension)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(content)) + extension;
        var relative = Path.Combine("inputs", name);
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path))
        {
            var bytes = content.ToArray();
            WriteAtomically(path, s => s.Write(bytes));
        }

        return relative;
    }

    public string Resolve(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Root, relative));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relative}' points outside the shared folder {Root}.", nameof(relative));
        }

        return path;
    }

    public static string WriteAtomically(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return path;
    }

    public static string HashKey(string kind, params string[] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(kind));
        foreach (var part in parts)
        {
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(part));
        }

        return kind + "-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private static string CheckKey(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || key.StartsWith('.'))
        {
            throw new ArgumentException($"Unit key '{key}' may hold only letters, digits, '-', '_' and '.'.", nameof(key));
        }

        return key;
    }
}
