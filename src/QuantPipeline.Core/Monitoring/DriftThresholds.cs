namespace QuantPipeline.Core.Monitoring;

/// <summary>Drift levels. PSI: the industry rule of thumb (below 0.1 stable, 0.1–0.2 moderate shift, above 0.2 significant).</summary>
public sealed record DriftThresholds
{
    public double PsiWarn { get; init; } = 0.1;

    public double PsiAlert { get; init; } = 0.2;

    /// <summary>Absolute change in the missing rate (a share, 0.05 = five percentage points) that raises a warning.</summary>
    public double MissingRateChangeWarn { get; init; } = 0.05;

    /// <summary>Absolute change in the missing rate that raises an alert.</summary>
    public double MissingRateChangeAlert { get; init; } = 0.2;

    public DriftLevel PsiLevel(double psi) =>
        double.IsNaN(psi) ? DriftLevel.Ok : psi >= PsiAlert ? DriftLevel.Alert : psi >= PsiWarn ? DriftLevel.Warn : DriftLevel.Ok;

    public DriftLevel MissingLevel(double change) =>
        Math.Abs(change) >= MissingRateChangeAlert ? DriftLevel.Alert : Math.Abs(change) >= MissingRateChangeWarn ? DriftLevel.Warn : DriftLevel.Ok;
}

public enum DriftLevel
{
    Ok,
    Warn,
    Alert,
}
