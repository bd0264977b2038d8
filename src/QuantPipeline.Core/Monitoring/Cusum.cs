namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Tabular (Page) CUSUM for a shift of the mean away from a known in-control mean μ0:
/// S⁺_t = max(0, S⁺_{t−1} + x_t − μ0 − k) and S⁻_t = max(0, S⁻_{t−1} + μ0 − k − x_t), alarm when the statistic
/// for the watched direction exceeds h. k (the slack) is usually half the shift worth detecting and h four to five
/// in-control standard deviations (Montgomery, Introduction to Statistical Quality Control, §9.1).
/// </summary>
public static class Cusum
{
    public static ChangeDetection Run(ReadOnlySpan<double> series, double targetMean, double slack, double threshold, ChangeDirection direction = ChangeDirection.Decrease)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slack);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        var statistic = new double[series.Length];
        double s = 0;
        var lastZero = -1;
        int? alarm = null, change = null;
        for (var i = 0; i < series.Length; i++)
        {
            if (double.IsFinite(series[i]))
            {
                var deviation = direction == ChangeDirection.Decrease ? targetMean - series[i] : series[i] - targetMean;
                s = Math.Max(0, s + deviation - slack);
            }

            statistic[i] = s;
            if (s == 0)
            {
                lastZero = i;
            }

            if (alarm is null && s > threshold)
            {
                alarm = i;
                change = lastZero + 1;
            }
        }

        return new ChangeDetection(alarm, change, statistic);
    }
}
