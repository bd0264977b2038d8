namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Where the time of a <see cref="GpuBacktestSweep"/> call went, in seconds, summed over its launches. Passing one
/// makes the call wait for the device after each phase, so the phases are measured separately.
/// </summary>
public sealed class GpuSweepTimings
{
    /// <summary>Panels copied to the device.</summary>
    public double UploadSeconds { get; set; }

    /// <summary>The cross-sectional order of every signal row (shared by all quantile and top-k variants).</summary>
    public double OrderSeconds { get; set; }

    /// <summary>Rank-weighted target panels built on the host and copied to the device.</summary>
    public double DenseTargetSeconds { get; set; }

    /// <summary>The book pass of every variant.</summary>
    public double PassSeconds { get; set; }

    /// <summary>Per-bar outputs copied back and split per variant.</summary>
    public double DownloadSeconds { get; set; }

    public double TotalSeconds => UploadSeconds + OrderSeconds + DenseTargetSeconds + PassSeconds + DownloadSeconds;
}
