using System.Globalization;
using QuantPipeline.Core.Progress;
using Spectre.Console;

namespace QuantPipeline.Cli.Output;

/// <summary>
/// Live progress bars with ETA on a terminal: one bar per task name, created when the task first reports. A task that
/// starts over (its count goes back, as training does in each retrain of a backfill) gets a fresh bar in the same
/// place, so its elapsed time and ETA are those of the current round.
/// </summary>
public sealed class SpectreProgress(ProgressContext context) : IProgress<ProgressUpdate>
{
    private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Lock _lock = new();

    /// <summary>The bars by task name, in the state the last update left them.</summary>
    public IReadOnlyDictionary<string, ProgressTask> Bars => _bars;

    public void Report(ProgressUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (!_bars.TryGetValue(value.Task, out var bar))
            {
                bar = context.AddTask(Markup.Escape(value.Task), autoStart: true, maxValue: Math.Max(1, value.Total));
                _bars[value.Task] = bar;
                _order.Add(value.Task);
            }
            else if (value.Total > 0 && (value.Done < bar.Value || (bar.IsFinished && value.Done < value.Total)))
            {
                context.RemoveTask(bar);
                bar = context.AddTaskAt(Markup.Escape(value.Task), _order.IndexOf(value.Task), autoStart: true, maxValue: value.Total);
                _bars[value.Task] = bar;
            }

            // An unknown total keeps the bar indeterminate (and unfinished); the count goes into the description instead.
            bar.IsIndeterminate = value.Total <= 0;
            if (value.Total > 0)
            {
                bar.MaxValue = value.Total;
                bar.Value = value.Done;
            }

            var label = value.Total > 0 ? value.Task : string.Create(CultureInfo.InvariantCulture, $"{value.Task} ({value.Done:N0})");
            bar.Description = Markup.Escape(value.Detail is null ? label : $"{label}: {Shorten(value.Detail, 48)}");
            if (value.Total > 0 && value.Done >= value.Total)
            {
                bar.StopTask();
            }
        }
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
