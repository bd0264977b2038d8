using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>Writes and reads run records under <c>runs/</c> in the working folder.</summary>
public sealed class RunJournal
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _gate = new();

    public RunJournal(string workingDirectory, RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Record = record;
        Path = System.IO.Path.Combine(Directory(workingDirectory), $"{record.RunId}.json");
    }

    public RunRecord Record { get; }

    public string Path { get; }

    public static string Directory(string workingDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(workingDirectory), "runs");

    /// <summary>Rewrites the record (temporary file + rename: a reader never sees half of it).</summary>
    public void Save()
    {
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(Record, Json));
        }
    }

    /// <summary>Records a stage's start (status running) or its outcome, replacing the running entry of the same stage.</summary>
    public void Stage(StageRecord stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        lock (_gate)
        {
            var last = Record.Stages.Count - 1;
            if (last >= 0 && Record.Stages[last].Stage == stage.Stage && Record.Stages[last].Status == StageStatus.Running)
            {
                Record.Stages[last] = stage;
            }
            else
            {
                Record.Stages.Add(stage);
            }
        }

        Save();
    }

    public void End(string status, string? error = null)
    {
        lock (_gate)
        {
            Record.Status = status;
            Record.Error = error;
            Record.EndedUtc = DateTime.UtcNow;
            for (var i = 0; i < Record.Stages.Count; i++)
            {
                if (Record.Stages[i].Status == StageStatus.Running)
                {
                    Record.Stages[i] = Record.Stages[i] with { Status = status is StageStatus.Cancelled or StageStatus.Interrupted ? status : StageStatus.Failed, Error = error, EndedUtc = Record.EndedUtc };
                }
            }
        }

        Save();
    }

    public static RunRecord Read(string path) =>
        JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"Run record {path} is empty.");

    /// <summary>Every readable run record of the working folder, oldest first.</summary>
    public static IReadOnlyList<RunRecord> ReadAll(string workingDirectory)
    {
        var dir = Directory(workingDirectory);
        if (!System.IO.Directory.Exists(dir))
        {
            return [];
        }

        var records = new List<RunRecord>();
        foreach (var file in System.IO.Directory.GetFiles(dir, "*.json"))
        {
            try
            {
                records.Add(Read(file));
            }
            catch (Exception e) when (e is JsonException or IOException or InvalidDataException or NotSupportedException)
            {
                // Records of older builds (or foreign files) do not describe runs this code can reason about.
            }
        }

        return [.. records.OrderBy(r => r.StartedUtc)];
    }

    /// <summary>
    /// Marks records of the same model and as-of that still say running as interrupted. Called by the holder of the
    /// run lock, so no live process can own them: their process was killed or the machine stopped.
    /// </summary>
    public static IReadOnlyList<string> MarkInterrupted(string workingDirectory, string model, DateOnly requestedAsOf, string currentRunId)
    {
        var marked = new List<string>();
        foreach (var record in ReadAll(workingDirectory))
        {
            if (record.Status != StageStatus.Running || record.Model != model || record.RequestedAsOf != requestedAsOf || record.RunId == currentRunId)
            {
                continue;
            }

            var journal = new RunJournal(workingDirectory, record);
            journal.End(StageStatus.Interrupted, $"the process ({record.ProcessId} on {record.Host}) stopped without finishing; a later run ({currentRunId}) resumed");
            marked.Add(record.RunId);
        }

        return marked;
    }

    /// <summary>Deletes temporary files of atomic writes (run records, signals, reports) whose process is gone.</summary>
    public static int RemoveAbandoned(string workingDirectory)
    {
        var root = System.IO.Path.GetFullPath(workingDirectory);
        var removed = 0;
        foreach (var dir in new[] { Directory(workingDirectory), System.IO.Path.Combine(root, "signals"), System.IO.Path.Combine(root, "reports") })
        {
            if (System.IO.Directory.Exists(dir))
            {
                removed += RemoveAbandonedIn(dir);
            }
        }

        return removed;
    }

    private static int RemoveAbandonedIn(string dir)
    {
        var removed = 0;
        foreach (var file in System.IO.Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories))
        {
            // AtomicFile names its temporary <target>.<pid>.tmp.
            var name = System.IO.Path.GetFileNameWithoutExtension(file);
            var pid = System.IO.Path.GetExtension(name).TrimStart('.');
            if (StageOutputStore.OwnerGone(pid))
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }
}
