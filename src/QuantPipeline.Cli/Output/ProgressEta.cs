namespace QuantPipeline.Cli.Output;

/// <summary>Remaining time by linear extrapolation of the rate so far: elapsed × (total − done) / done.</summary>
public static class ProgressEta
{
    /// <returns>Null while nothing is done or the total is unknown.</returns>
    public static TimeSpan? Remaining(TimeSpan elapsed, long done, long total)
    {
        if (done <= 0 || total <= 0)
        {
            return null;
        }

        if (done >= total)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(total - done) / done)));
    }

    /// <summary>h:mm:ss, or m:ss under an hour.</summary>
    public static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}" : $"{span.Minutes}:{span.Seconds:00}";
}
