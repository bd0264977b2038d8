namespace QuantPipeline.Core.Compute;

/// <summary>
/// One implementation of the compute kernels (managed SIMD, native C++, ILGPU). Every backend follows the
/// semantics in <see cref="KernelSemantics"/>. Buffers are time-major [t, n] float32 (the n symbols of one
/// timestamp are contiguous); <c>dst</c> never aliases an input unless a method says so.
/// </summary>
public interface IComputeBackend
{
    /// <summary>managed | native | gpu.</summary>
    string Name { get; }

    // ---- element-wise (shape-agnostic: any length) ----

    void Unary(UnaryOp op, ReadOnlySpan<float> x, Span<float> dst);

    void Binary(BinaryOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);

    /// <summary>dst = cond != 0 (and not NaN) ? a : b.</summary>
    void Where(ReadOnlySpan<float> cond, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst);

    // ---- shifts along time ----

    /// <summary>dst[i] = src[i − periods] (lag for periods &gt; 0, lead for periods &lt; 0); NaN where out of range.</summary>
    void Shift(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods);

    /// <summary>dst[i] = src[i] − src[i − periods].</summary>
    void Diff(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods);

    /// <summary>Simple (x[i]/x[i−p] − 1) or log (ln(x[i]/x[i−p])) returns over p = periods bars.</summary>
    void Returns(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int periods, ReturnKind kind);

    // ---- rolling along time ----

    void Rolling(RollingOp op, ReadOnlySpan<float> src, Span<float> dst, int t, int n, RollingSpec spec);

    /// <summary>Rolling statistics of two series (covariance, correlation).</summary>
    void RollingPair(RollingPairOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> dst, int t, int n, RollingSpec spec);

    // ---- exponential ----

    /// <summary>Exponentially weighted mean with pandas' adjust semantics (see <see cref="EwmSpec"/>).</summary>
    void Ewm(ReadOnlySpan<float> src, Span<float> dst, int t, int n, EwmSpec spec);

    /// <summary>Relative strength index over <paramref name="period"/> bars with Wilder smoothing (alpha = 1/period, adjust = false).</summary>
    void Rsi(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int period);

    // ---- cross-sectional (per timestamp over members of the universe) ----

    /// <summary>
    /// Per row over the symbols whose mask is true and value finite; other cells get NaN.
    /// <paramref name="mask"/> is [t, n] (empty span = every symbol is a member).
    /// </summary>
    void CrossSectional(CrossSectionalOp op, ReadOnlySpan<float> src, ReadOnlySpan<bool> mask, Span<float> dst, int t, int n, CrossSectionalSpec spec);

    /// <summary>Carries the last finite value forward along time (at most <paramref name="limit"/> bars; 0 = no limit).</summary>
    void FillForward(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int limit = 0);

    /// <summary>Rolling mean: the most used kernel, kept as a shortcut for <see cref="Rolling"/>.</summary>
    void RollingMean(ReadOnlySpan<float> src, Span<float> dst, int t, int n, int window, int minPeriods) =>
        Rolling(RollingOp.Mean, src, dst, t, n, new RollingSpec(window, minPeriods));
}

public enum UnaryOp
{
    Neg,
    Abs,
    Log,
    Exp,
    Sqrt,
    Sign,
    Not,
}

public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Max,
    Min,
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
    Ne,
    And,
    Or,
}

public enum ReturnKind
{
    Simple,
    Log,
}

public enum RollingOp
{
    Sum,
    Mean,
    Var,
    Std,
    Min,
    Max,
    /// <summary>Position of the window minimum, 1-based from the oldest slot (Qlib's IdxMin convention).</summary>
    ArgMin,
    /// <summary>Position of the window maximum, 1-based from the oldest slot (Qlib's IdxMax convention).</summary>
    ArgMax,
    /// <summary>Quantile <see cref="RollingSpec.Quantile"/> with linear interpolation (pandas' default).</summary>
    Quantile,
    /// <summary>Percentile rank of the newest value within its window, average ties, in (0, 1].</summary>
    Rank,
    Skew,
    Kurt,
    /// <summary>Least-squares slope of the values against time index 0..w−1.</summary>
    Slope,
    /// <summary>R² of that regression.</summary>
    Rsquare,
    /// <summary>Residual of the newest value from that regression.</summary>
    Resi,
    /// <summary>Linearly weighted mean, weights 1..w with the newest heaviest.</summary>
    Wma,
    /// <summary>Number of finite values in the window.</summary>
    Count,
}

public enum RollingPairOp
{
    Cov,
    Corr,
}

public enum CrossSectionalOp
{
    /// <summary>Percentile rank with average ties, in (0, 1].</summary>
    Rank,
    ZScore,
    Demean,
    /// <summary>Clips to the row's <see cref="CrossSectionalSpec.Lower"/> and <see cref="CrossSectionalSpec.Upper"/> quantiles.</summary>
    Winsorize,
}

/// <summary>Window parameters. <paramref name="MinPeriods"/> = −1 means "the window" (the default).</summary>
public readonly record struct RollingSpec(int Window, int MinPeriods = -1, int Ddof = 1, double Quantile = 0.5)
{
    public int EffectiveMinPeriods => MinPeriods < 0 ? Window : MinPeriods;
}

/// <summary>
/// Exponential weighting by alpha (span s: alpha = 2/(s+1); half-life h: alpha = 1 − exp(−ln 2 / h); com c: alpha = 1/(1+c)).
/// adjust = true: weighted average with weights (1−alpha)^k over all past finite values (pandas' default);
/// adjust = false: recursive y = (1−alpha)·y + alpha·x.
/// </summary>
public readonly record struct EwmSpec(double Alpha, bool Adjust = true, int MinPeriods = 0)
{
    public static EwmSpec FromSpan(double span, bool adjust = true, int minPeriods = 0) => new(2.0 / (span + 1.0), adjust, minPeriods);

    public static EwmSpec FromHalfLife(double halfLife, bool adjust = true, int minPeriods = 0) => new(1.0 - Math.Exp(-Math.Log(2.0) / halfLife), adjust, minPeriods);

    public static EwmSpec FromCom(double com, bool adjust = true, int minPeriods = 0) => new(1.0 / (1.0 + com), adjust, minPeriods);

    /// <summary>Wilder's smoothing over n bars: alpha = 1/n, recursive.</summary>
    public static EwmSpec Wilder(int period) => new(1.0 / period, Adjust: false, MinPeriods: period);
}

/// <summary>Cross-sectional parameters: winsorising quantiles and the z-score's ddof.</summary>
public readonly record struct CrossSectionalSpec(double Lower = 0.01, double Upper = 0.99, int Ddof = 1)
{
    /// <summary>The documented defaults (a struct's implicit parameterless constructor would zero every field).</summary>
    public CrossSectionalSpec()
        : this(0.01, 0.99, 1)
    {
    }
}
