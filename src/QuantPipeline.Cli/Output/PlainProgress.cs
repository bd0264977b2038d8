using System.Globalization;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cli.Output;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (a log file, a pipe, CI): one line when a task starts,
/// then at most one line per task every <c>interval</c>, and one when it finishes, each with the ETA. A task whose
/// count goes back (training again in the next retrain of a backfill) starts over: a new first line and a new clock.
/// </summary>
public sealed class PlainProgress(TextWriter output, TimeProvider clock, TimeSpan interval) : IProgress<ProgressUpdate>
{
    private readonly Dictionary<string, (long Started, long LastLine, long Done)> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PlainProgress(TextWriter output)
        : this(output, TimeProvider.System, TimeSpan.FromSeconds(2))
    {
    }

    public void Report(ProgressUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            var first = !_tasks.TryGetValue(value.Task, out var state) || value.Done < state.Done;
            if (first)
            {
                state = (now, now, value.Done);
            }

            var finished = value.Total > 0 && value.Done >= value.Total;
            if (!first && !finished && clock.GetElapsedTime(state.LastLine, now) < interval)
            {
                _tasks[value.Task] = state with { Done = value.Done };
                return;
            }

            _tasks[value.Task] = (state.Started, now, value.Done);
            output.WriteLine(Line(value, clock.GetElapsedTime(state.Started, now)));
        }
    }

    public static string Line(ProgressUpdate update, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(update);
        var c = CultureInfo.InvariantCulture;
        var amount = update.Total > 0
            ? string.Create(c, $"{update.Done:N0}/{update.Total:N0} ({100.0 * update.Done / update.Total:0}%)")
            : string.Create(c, $"{update.Done:N0}");
        var eta = ProgressEta.Remaining(elapsed, update.Done, update.Total) is { } remaining
            ? update.Done >= update.Total ? $", done in {ProgressEta.Format(elapsed)}" : $", {ProgressEta.Format(elapsed)} elapsed, ETA {ProgressEta.Format(remaining)}"
            : string.Empty;
        return $"[{update.Task}] {amount}{eta}{(update.Detail is null ? string.Empty : " - " + update.Detail)}";
    }
}
