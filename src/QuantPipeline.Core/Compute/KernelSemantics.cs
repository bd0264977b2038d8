namespace QuantPipeline.Core.Compute;

/// <summary>
/// The rules every backend follows, written down once (README "Kernel semantics" repeats them for users).
/// <list type="bullet">
/// <item><b>Missing values.</b> NaN (and ±∞, which rolling, exponential and cross-sectional kernels treat the same way)
/// is skipped but occupies its slot: a 30-bar window always spans 30 timestamps, however many of them are finite.
/// Element-wise kernels follow IEEE arithmetic instead, so NaN propagates (comparisons and logic of a NaN give NaN).</item>
/// <item><b>min_periods.</b> A rolling output is NaN unless its window holds at least <c>max(min_periods, m)</c> finite
/// values, where <c>min_periods</c> defaults to the window and <c>m</c> is the statistic's own minimum
/// (<see cref="MinimumObservations"/>): 0 for sum and count (an empty sum is 0), 1 for mean, min, max, arg-min/max,
/// quantile, rank and WMA, ddof + 1 for var/std, 2 for slope, R², residual, cov and corr, 3 for skew, 4 for kurtosis.
/// Count follows the same rule (NaN below min_periods).</item>
/// <item><b>WMA</b> weighs the slots of a full window 1 … window from the oldest; a short first window keeps the weights
/// its slots will have once the window is full.</item>
/// <item><b>Shift, diff and returns</b> take any integer period (negative looks ahead); element-wise arithmetic, returns
/// included, runs in float64 and is rounded to float32 once.</item>
/// <item><b>ddof</b> defaults to 1 (sample statistics, as pandas); TA-Lib's STDDEV uses ddof = 0; pass it explicitly.</item>
/// <item><b>Numerics.</b> Storage is float32; accumulation is float64. Running sums are kept relative to a per-symbol
/// shift and recomputed exactly from the window when cancellation could have cost precision (for instance when a
/// 1e17 outlier leaves the window), so results match a float64 two-pass computation to ~1e-7 relative.</item>
/// <item><b>Exponential.</b> pandas' <c>ewm(...).mean()</c> with <c>ignore_na=False</c>: a NaN keeps the previous
/// output and still ages the old weights. <c>adjust=true</c> divides by the sum of weights; <c>adjust=false</c> is the
/// recursion y = (1−α)·y + α·x seeded with the first observation. An output needs max(min_periods, 1) observations.</item>
/// <item><b>RSI</b> is pandas' common Wilder formulation: Δ = x[t] − x[t−1]; average gain and loss by
/// <c>ewm(alpha = 1/period, adjust = false, min_periods = period)</c>; RSI = 100·G/(G+L), and 50 when G + L = 0
/// (a flat window). TA-Lib seeds Wilder's average with the simple mean of the first period instead, so its first
/// ~10·period values differ.</item>
/// <item><b>Cross-sectional</b> kernels work per timestamp over the symbols whose mask is true and whose value is finite;
/// every other cell gets NaN. Ranks are pandas' <c>rank(pct=True, method="average")</c>, in (0, 1]; quantiles use
/// linear interpolation; z-scores use <see cref="CrossSectionalSpec.Ddof"/> and give NaN when the row's deviation is 0.</item>
/// <item><b>Windows in rank and regression kernels.</b> Arg-min/max are 1-based positions from the oldest available slot
/// (ties: the first); regression kernels regress on the slot index, so a NaN keeps its x-position.</item>
/// </list>
/// Differences from peers: pandas counts ±∞ as values (here they are missing); Qlib's operators use min_periods = 1
/// (pass <c>MinPeriods: 1</c> to match); TA-Lib uses ddof = 0 and the SMA-seeded Wilder average.
/// </summary>
public static class KernelSemantics
{
    /// <summary>Checks a rolling call (shape, window, explicit min_periods in [0, window]).</summary>
    public static void Validate(int srcLength, int dstLength, int t, int n, int window, int minPeriods)
    {
        ValidateShape(srcLength, dstLength, t, n);
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"Window must be at least 1, got {window}.");
        }

        if (minPeriods < 0 || minPeriods > window)
        {
            throw new ArgumentOutOfRangeException(nameof(minPeriods), $"minPeriods must be in [0, {window}], got {minPeriods}.");
        }
    }

    /// <summary>Checks a rolling call described by a <see cref="RollingSpec"/>.</summary>
    public static void Validate(int srcLength, int dstLength, int t, int n, RollingSpec spec)
    {
        Validate(srcLength, dstLength, t, n, spec.Window, spec.EffectiveMinPeriods);
        if (spec.Ddof < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"ddof must be non-negative, got {spec.Ddof}.");
        }

        if (!(spec.Quantile >= 0 && spec.Quantile <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"Quantile must be in [0, 1], got {spec.Quantile}.");
        }
    }

    /// <summary>Checks that both buffers hold exactly t × n values.</summary>
    public static void ValidateShape(int srcLength, int dstLength, int t, int n)
    {
        if (t < 0 || n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), $"Shape must be non-negative, got [{t}, {n}].");
        }

        if ((long)t * n != srcLength || (long)t * n != dstLength)
        {
            throw new ArgumentException($"Buffers of length {srcLength} and {dstLength} do not match shape [{t}, {n}].");
        }
    }

    /// <summary>Checks an exponential call.</summary>
    public static void Validate(EwmSpec spec)
    {
        if (!(spec.Alpha > 0 && spec.Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"EWM alpha must be in (0, 1], got {spec.Alpha}; span must be ≥ 1, half-life and com > 0.");
        }

        if (spec.MinPeriods < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"EWM minPeriods must be non-negative, got {spec.MinPeriods}.");
        }
    }

    /// <summary>Checks a cross-sectional call.</summary>
    public static void Validate(CrossSectionalSpec spec)
    {
        if (!(spec.Lower >= 0 && spec.Lower <= spec.Upper && spec.Upper <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"Winsorising quantiles must satisfy 0 ≤ lower ≤ upper ≤ 1, got {spec.Lower} and {spec.Upper}.");
        }

        if (spec.Ddof < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), $"ddof must be non-negative, got {spec.Ddof}.");
        }
    }

    /// <summary>The fewest finite values a statistic needs before min_periods is even considered.</summary>
    public static int MinimumObservations(RollingOp op, int ddof) => op switch
    {
        RollingOp.Sum or RollingOp.Count => 0,
        RollingOp.Var or RollingOp.Std => ddof + 1,
        RollingOp.Slope or RollingOp.Rsquare or RollingOp.Resi => 2,
        RollingOp.Skew => 3,
        RollingOp.Kurt => 4,
        _ => 1,
    };

    /// <summary>The fewest complete pairs a pair statistic needs.</summary>
    public static int MinimumObservations(RollingPairOp op, int ddof) => op == RollingPairOp.Cov ? Math.Max(ddof + 1, 1) : 2;

    /// <summary>Finite values needed for a rolling output: max(min_periods, the statistic's minimum).</summary>
    public static int RequiredObservations(RollingOp op, RollingSpec spec) => Math.Max(spec.EffectiveMinPeriods, MinimumObservations(op, spec.Ddof));

    /// <summary>RSI of the smoothed gain and loss; 50 for a flat window.</summary>
    public static double Rsi(double averageGain, double averageLoss)
    {
        var total = averageGain + averageLoss;
        return total > 0 ? 100.0 * averageGain / total : 50.0;
    }
}
