namespace QuantPipeline.Core.Compute;

/// <summary>
/// Element-wise, shift and cross-sectional operations on time-major [t, n] buffers.
/// NaN propagates through arithmetic; cross-sectional operations skip NaN and non-members.
/// </summary>
public static class PanelOps
{
    /// <summary>dst[i] = src[i - lag] along time (NaN for the first lag rows).</summary>
    public static void Lag(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int lag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lag);
        for (var i = 0; i < t; i++)
        {
            var outRow = dst.Slice(i * n, n);
            if (i < lag)
            {
                outRow.Fill(float.NaN);
            }
            else
            {
                src.Slice((i - lag) * n, n).CopyTo(outRow);
            }
        }
    }

    /// <summary>Simple return over <paramref name="periods"/> bars: x[t] / x[t - periods] - 1.</summary>
    public static void PctChange(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        for (var i = 0; i < t; i++)
        {
            var outRow = dst.Slice(i * n, n);
            if (i < periods)
            {
                outRow.Fill(float.NaN);
                continue;
            }

            var now = src.Slice(i * n, n);
            var then = src.Slice((i - periods) * n, n);
            for (var j = 0; j < n; j++)
            {
                outRow[j] = (float)((double)now[j] / then[j] - 1.0);
            }
        }
    }

    /// <summary>Forward return over h bars, x[t + h] / x[t] - 1 (NaN for the last h rows). Labels only.</summary>
    public static void ForwardReturn(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        for (var i = 0; i < t; i++)
        {
            var outRow = dst.Slice(i * n, n);
            if (i + horizon >= t)
            {
                outRow.Fill(float.NaN);
                continue;
            }

            var now = src.Slice(i * n, n);
            var later = src.Slice((i + horizon) * n, n);
            for (var j = 0; j < n; j++)
            {
                outRow[j] = (float)((double)later[j] / now[j] - 1.0);
            }
        }
    }

    /// <summary>Rolling sample standard deviation (ddof = 1) along time, float64 accumulation.</summary>
    public static void RollingStd(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods)
    {
        KernelSemantics.Validate(src.Length, dst.Length, t, n, window, minPeriods);
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < t; i++)
            {
                double sum = 0, sumSq = 0;
                var count = 0;
                for (var k = Math.Max(0, i - window + 1); k <= i; k++)
                {
                    var x = src[k * n + j];
                    if (!float.IsNaN(x))
                    {
                        sum += x;
                        sumSq += (double)x * x;
                        count++;
                    }
                }

                if (count < Math.Max(minPeriods, 2))
                {
                    dst[i * n + j] = float.NaN;
                    continue;
                }

                var mean = sum / count;
                var variance = Math.Max(0.0, (sumSq - count * mean * mean) / (count - 1));
                dst[i * n + j] = (float)Math.Sqrt(variance);
            }
        }
    }

    /// <summary>Cross-sectional z-score per timestamp over finite members; clipped to ±clip.</summary>
    public static void CrossSectionalZScore(ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<bool> membership, int t, int n, float clip = float.PositiveInfinity)
    {
        for (var i = 0; i < t; i++)
        {
            double sum = 0, sumSq = 0;
            var count = 0;
            for (var j = 0; j < n; j++)
            {
                var x = src[i * n + j];
                if (membership[i * n + j] && float.IsFinite(x))
                {
                    sum += x;
                    sumSq += (double)x * x;
                    count++;
                }
            }

            var mean = count > 0 ? sum / count : double.NaN;
            var std = count > 1 ? Math.Sqrt(Math.Max(0.0, (sumSq - count * mean * mean) / (count - 1))) : double.NaN;
            for (var j = 0; j < n; j++)
            {
                var x = src[i * n + j];
                var valid = membership[i * n + j] && float.IsFinite(x) && std > 0;
                dst[i * n + j] = valid ? (float)Math.Clamp((x - mean) / std, -clip, clip) : float.NaN;
            }
        }
    }
}
