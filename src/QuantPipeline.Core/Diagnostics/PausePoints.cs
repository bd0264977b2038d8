namespace QuantPipeline.Core.Diagnostics;

/// <summary>
/// Named points where a process can be told to stop and wait, so that a test kills or interrupts it in a known state
/// instead of guessing how long the work takes. Off unless the environment names the point:
/// <c>QP_PAUSE_AT</c> lists point names (comma-separated), and <c>QP_PAUSE_DIR</c> is a folder. On reaching a listed
/// point the process writes <c>&lt;QP_PAUSE_DIR&gt;/&lt;point&gt;.reached</c> (holding its process id), then waits until
/// its cancellation token fires (Ctrl-C) or it is killed. Points: <c>stage.&lt;name&gt;</c>, once a pipeline stage is
/// recorded as running.
/// </summary>
public static class PausePoints
{
    private static readonly HashSet<string> Listed = Parse(Environment.GetEnvironmentVariable("QP_PAUSE_AT"));

    private static readonly string? Folder = Environment.GetEnvironmentVariable("QP_PAUSE_DIR");

    /// <summary>The marker file a paused process writes for <paramref name="point"/> in <paramref name="folder"/>.</summary>
    public static string MarkerPath(string folder, string point) => Path.Combine(folder, point + ".reached");

    /// <summary>Pauses here if the environment lists <paramref name="point"/>; returns at once otherwise.</summary>
    public static void Reach(string point, CancellationToken cancellationToken)
    {
        if (Listed.Count == 0 || !Listed.Contains(point) || string.IsNullOrEmpty(Folder))
        {
            return;
        }

        Directory.CreateDirectory(Folder);
        var marker = MarkerPath(Folder, point);
        var temporary = marker + ".tmp";
        File.WriteAllText(temporary, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.Move(temporary, marker, overwrite: true);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static HashSet<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
