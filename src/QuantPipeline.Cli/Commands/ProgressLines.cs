using System.Globalization;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// Prints each progress update as one line with an ETA from the average time per finished unit, synchronously
/// (so lines never arrive out of order), for logs and terminals alike.
/// </summary>
internal sealed class ProgressLines(TextWriter writer) : IProgress<ProgressUpdate>
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _gate = new();

    public void Report(ProgressUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var elapsed = _clock.Elapsed;
        var eta = value.Done > 0 && value.Total > value.Done
            ? $", ETA {TimeSpan.FromSeconds(elapsed.TotalSeconds / value.Done * (value.Total - value.Done)):mm\\:ss}"
            : string.Empty;
        var total = value.Total > 0 ? $"/{value.Total}" : string.Empty;
        lock (_gate)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{value.Task} {value.Done}{total}, {elapsed:mm\\:ss}{eta}] {value.Detail}"));
        }
    }
}
