namespace QuantPipeline.Core.Diagnostics;

/// <summary>
/// Named points where a process can be told to stop and wait, so that a test kills or interrupts it in a known state
/// instead of guessing how long the work takes. Off unless <c>QP_PAUSE_DIR</c> names a folder. A process pauses at a
/// point when <c>QP_PAUSE_AT</c> lists it (comma-separated; every time), or when the folder holds
/// <c>&lt;point&gt;.arm</c> (<see cref="Arm"/>; once: the first process to rename the file away takes it). Pausing writes
/// <c>&lt;point&gt;.reached</c> holding the process id, then waits until the caller's cancellation token fires (Ctrl-C) or
/// the process is killed. Points: <c>stage.&lt;name&gt;</c> once a pipeline stage is recorded as running;
/// <c>unit.&lt;kind&gt;</c> when a cluster silo starts a unit of that kind.
/// </summary>
public static class PausePoints
{
    private static readonly HashSet<string> Listed = Parse(Environment.GetEnvironmentVariable("QP_PAUSE_AT"));

    private static readonly string? Folder = Environment.GetEnvironmentVariable("QP_PAUSE_DIR") is { Length: > 0 } folder ? folder : null;

    /// <summary>The marker file a paused process writes for <paramref name="point"/> in <paramref name="folder"/>.</summary>
    public static string MarkerPath(string folder, string point) => Path.Combine(folder, point + ".reached");

    /// <summary>Makes the next process (with <c>QP_PAUSE_DIR</c> = <paramref name="folder"/>) that reaches <paramref name="point"/> pause there.</summary>
    public static void Arm(string folder, string point)
    {
        Directory.CreateDirectory(folder);
        File.Delete(MarkerPath(folder, point));
        File.WriteAllText(Path.Combine(folder, point + ".arm"), point);
    }

    /// <summary>Pauses here if this point is listed or armed; returns at once otherwise.</summary>
    public static void Reach(string point, CancellationToken cancellationToken)
    {
        if (Folder is null || !(Listed.Contains(point) || TakeArm(Folder, point)))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        var marker = MarkerPath(Folder, point);
        var temporary = $"{marker}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temporary, marker, overwrite: true);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static bool TakeArm(string folder, string point)
    {
        var arm = Path.Combine(folder, point + ".arm");
        if (!File.Exists(arm))
        {
            return false;
        }

        try
        {
            // A rename succeeds for one process only: the others find the file gone and carry on.
            File.Move(arm, $"{arm}.taken-{Environment.ProcessId}");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static HashSet<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
