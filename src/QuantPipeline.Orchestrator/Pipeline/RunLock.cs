using System.Globalization;
using System.Text.Json;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>
/// An exclusive lock per (model, as-of) so that two runs of the same model and date cannot race. It is an
/// operating-system lock on <c>runs/locks/&lt;model&gt;@&lt;as-of&gt;.lock</c> (a file opened without sharing), so it goes
/// away with its process even when that process is killed; who holds it is written next to it for the message a
/// second run prints.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream, string path, string ownerPath)
    {
        _stream = stream;
        Path = path;
        OwnerPath = ownerPath;
    }

    public string Path { get; }

    private string OwnerPath { get; }

    public static string PathFor(string workingDirectory, string modelName, DateOnly asOf)
    {
        var safe = string.Concat(modelName.Select(c => System.IO.Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
        return System.IO.Path.Combine(System.IO.Path.GetFullPath(workingDirectory), "runs", "locks", $"{safe}@{asOf:yyyy-MM-dd}.lock");
    }

    /// <summary>Takes the lock or throws <see cref="RunLockedException"/> naming the run that holds it.</summary>
    public static RunLock Acquire(string workingDirectory, string modelName, DateOnly asOf, string runId)
    {
        var path = PathFor(workingDirectory, modelName, asOf);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var ownerPath = path + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            throw new RunLockedException(modelName, asOf, path, ReadOwner(ownerPath), e);
        }

        var owner = new RunLockOwner(runId, Environment.ProcessId, Environment.MachineName, DateTime.UtcNow);
        AtomicFile.WriteAllText(ownerPath, JsonSerializer.Serialize(owner));
        return new RunLock(stream, path, ownerPath);
    }

    private static RunLockOwner? ReadOwner(string ownerPath)
    {
        try
        {
            return JsonSerializer.Deserialize<RunLockOwner>(File.ReadAllText(ownerPath));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        // The owner note goes first, while the lock is still held, so no later holder's note is removed.
        try
        {
            File.Delete(OwnerPath);
        }
        catch (IOException)
        {
            // The note is advisory; the lock itself is released below either way.
        }

        _stream.Dispose();
    }
}

/// <summary>Who holds a run lock.</summary>
public sealed record RunLockOwner(string RunId, int ProcessId, string Host, DateTime SinceUtc)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"run {RunId} (process {ProcessId} on {Host}, since {SinceUtc:yyyy-MM-dd HH:mm:ss} UTC)");
}

/// <summary>Another run of the same model and as-of date is in progress.</summary>
public sealed class RunLockedException(string modelName, DateOnly asOf, string lockPath, RunLockOwner? owner, Exception inner)
    : Exception(
        $"Another run of {modelName} for {asOf:yyyy-MM-dd} is in progress: {owner?.ToString() ?? "a process that has not yet written its name"} holds {lockPath}. " +
        "Wait for it to finish (the lock goes with its process, even if it is killed), then run again; completed stages are reused.",
        inner)
{
    public RunLockOwner? Owner { get; } = owner;
}
