namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Outcome of a sequential change detector run over a series.
/// </summary>
/// <param name="AlarmIndex">First index at which the statistic crossed the threshold; null when it never did.</param>
/// <param name="ChangeIndex">Estimated start of the change: the index after the statistic last stood at its baseline before the alarm.</param>
/// <param name="Statistic">The detector's statistic at every index (NaN inputs leave it unchanged).</param>
public sealed record ChangeDetection(int? AlarmIndex, int? ChangeIndex, double[] Statistic)
{
    public bool Alarmed => AlarmIndex is not null;
}

public enum ChangeDirection
{
    /// <summary>A fall in the mean (what matters for an IC series).</summary>
    Decrease,

    /// <summary>A rise in the mean.</summary>
    Increase,
}
