namespace QuantPipeline.Core.Labels;

/// <summary>
/// Triple-barrier labels (López de Prado): +1 when the profit-take barrier is touched first, −1 for the stop-loss,
/// and at the vertical barrier the sign of the return then (0 when flat). Every array is [t, n] time-major;
/// <see cref="TouchIndex"/> is the bar of the touch (−1 where the label is not known), which is also the label's end time.
/// </summary>
public sealed record TripleBarrierLabels(float[] Label, float[] Return, int[] TouchIndex, BarrierHit[] Barrier, int T, int N)
{
    /// <param name="close">Close prices [t, n] time-major.</param>
    /// <param name="asOfIndex">Last bar that may be read; −1 = the whole series. Labels needing later bars stay unknown.</param>
    public static TripleBarrierLabels Compute(ReadOnlySpan<float> close, int t, int n, TripleBarrierSpec spec, int asOfIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (close.Length != t * n)
        {
            throw new ArgumentException($"Close has {close.Length} values; a {t}×{n} panel needs {t * n}.", nameof(close));
        }

        var last = asOfIndex < 0 ? t - 1 : Math.Min(asOfIndex, t - 1);
        var label = new float[t * n];
        var ret = new float[t * n];
        var touch = new int[t * n];
        var barrier = new BarrierHit[t * n];
        Array.Fill(label, float.NaN);
        Array.Fill(ret, float.NaN);
        Array.Fill(touch, -1);
        var sigma = new double[t];
        for (var j = 0; j < n; j++)
        {
            Volatility(close, t, n, j, last, spec.VolatilityWindow, sigma);
            for (var entry = 0; entry <= last; entry++)
            {
                double price = close[entry * n + j];
                var s = sigma[entry];
                if (!double.IsFinite(price) || price <= 0 || !double.IsFinite(s))
                {
                    continue;
                }

                var upper = spec.ProfitTake * s;
                var lower = -spec.StopLoss * s;
                var cell = entry * n + j;
                for (var k = 1; k <= spec.Horizon; k++)
                {
                    var at = entry + k;
                    if (at > last)
                    {
                        break;
                    }

                    double later = close[at * n + j];
                    if (!double.IsFinite(later))
                    {
                        continue;
                    }

                    var r = later / price - 1.0;
                    var hit = r >= upper ? BarrierHit.ProfitTake
                        : r <= lower ? BarrierHit.StopLoss
                        : k == spec.Horizon ? BarrierHit.Vertical
                        : BarrierHit.None;
                    if (hit == BarrierHit.None)
                    {
                        continue;
                    }

                    label[cell] = hit switch
                    {
                        BarrierHit.ProfitTake => 1f,
                        BarrierHit.StopLoss => -1f,
                        _ => Math.Sign(r),
                    };
                    ret[cell] = (float)r;
                    touch[cell] = at;
                    barrier[cell] = hit;
                    break;
                }
            }
        }

        return new TripleBarrierLabels(label, ret, touch, barrier, t, n);
    }

    /// <summary>σ at each bar from the returns of the window ending there; NaN until the window is full of finite returns.</summary>
    private static void Volatility(ReadOnlySpan<float> close, int t, int n, int j, int last, int window, double[] sigma)
    {
        Array.Fill(sigma, double.NaN);
        for (var i = window; i <= last; i++)
        {
            double sum = 0, sumSq = 0;
            var count = 0;
            for (var k = i - window + 1; k <= i; k++)
            {
                double a = close[(k - 1) * n + j], b = close[k * n + j];
                var r = b / a - 1.0;
                if (double.IsFinite(r))
                {
                    sum += r;
                    sumSq += r * r;
                    count++;
                }
            }

            if (count == window)
            {
                var mean = sum / count;
                sigma[i] = Math.Sqrt(Math.Max(0.0, (sumSq - count * mean * mean) / (count - 1)));
            }
        }
    }
}
