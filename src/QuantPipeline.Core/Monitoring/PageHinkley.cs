namespace QuantPipeline.Core.Monitoring;

/// <summary>
/// Page–Hinkley test (Page 1954; Hinkley 1971) with the running mean, as used for concept drift (Gama et al. 2014).
/// For a decrease: m_t = Σ_{i≤t} (x_i − x̄_i + δ), M_t = max_{i≤t} m_i, statistic PH_t = M_t − m_t, alarm when PH_t &gt; λ.
/// For an increase the signs flip (m_t = Σ (x_i − x̄_i − δ), PH_t = m_t − min m_i). δ is the tolerated magnitude
/// of change, λ the alarm threshold; no alarm is raised before <c>minSamples</c> finite values.
/// </summary>
public static class PageHinkley
{
    public static ChangeDetection Run(ReadOnlySpan<double> series, double delta, double lambda, ChangeDirection direction = ChangeDirection.Decrease, int minSamples = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lambda);
        var statistic = new double[series.Length];
        double mean = 0, cumulative = 0, extreme = 0, ph = 0;
        var count = 0;
        var extremeIndex = -1;
        int? alarm = null, change = null;
        for (var i = 0; i < series.Length; i++)
        {
            if (double.IsFinite(series[i]))
            {
                count++;
                mean += (series[i] - mean) / count;
                if (direction == ChangeDirection.Decrease)
                {
                    cumulative += series[i] - mean + delta;
                    if (cumulative >= extreme)
                    {
                        extreme = cumulative;
                        extremeIndex = i;
                    }

                    ph = extreme - cumulative;
                }
                else
                {
                    cumulative += series[i] - mean - delta;
                    if (cumulative <= extreme)
                    {
                        extreme = cumulative;
                        extremeIndex = i;
                    }

                    ph = cumulative - extreme;
                }
            }

            statistic[i] = ph;
            if (alarm is null && count >= minSamples && ph > lambda)
            {
                alarm = i;
                change = extremeIndex + 1;
            }
        }

        return new ChangeDetection(alarm, change, statistic);
    }
}
