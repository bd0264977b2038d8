namespace QuantPipeline.Core.Metrics;

/// <summary>
/// The full metric set of a periodic returns series (zero risk-free rate). Formulas, with n returns r₁…rₙ and
/// P = <see cref="PeriodsPerYear"/>:
/// annual return = (Π(1 + rᵢ))^(P/n) − 1; annual volatility = std(r, ddof 1)·√P; Sharpe = mean/std·√P;
/// Sortino = mean / √(Σ min(rᵢ, 0)² / n)·√P; Calmar = annual return / |max drawdown|; hit rate = share of rᵢ &gt; 0;
/// skewness and kurtosis are the plain sample moments m₃/m₂^1.5 and m₄/m₂² (kurtosis 3 for a normal);
/// PSR, DSR and MinTRL follow <see cref="SharpeInference"/> on the per-period Sharpe.
/// Turnover is Σ|Δw| per bar; the average holding period in bars is mean gross exposure / (mean turnover / 2).
/// </summary>
public sealed record MetricReport
{
    public required int Periods { get; init; }
    public required double PeriodsPerYear { get; init; }
    public required double AnnualReturn { get; init; }
    public required double AnnualVolatility { get; init; }
    public required double Sharpe { get; init; }
    public required double Sortino { get; init; }
    public required Drawdown MaxDrawdown { get; init; }
    public DateOnly? MaxDrawdownPeakDate { get; init; }
    public DateOnly? MaxDrawdownTroughDate { get; init; }
    public DateOnly? MaxDrawdownRecoveryDate { get; init; }
    public required double Calmar { get; init; }
    public required double HitRate { get; init; }
    public required double Skewness { get; init; }
    public required double Kurtosis { get; init; }

    /// <summary>Probability that the true Sharpe exceeds <see cref="MetricOptions.BenchmarkSharpe"/>.</summary>
    public required double ProbabilisticSharpe { get; init; }

    /// <summary>PSR against the expected maximum Sharpe of <see cref="Trials"/> unskilled trials.</summary>
    public required double DeflatedSharpe { get; init; }

    /// <summary>The expected maximum annualised Sharpe of the trials (the DSR's benchmark).</summary>
    public required double DeflatedSharpeBenchmark { get; init; }
    public required int Trials { get; init; }

    /// <summary>Minimum track-record length in periods (infinite when the Sharpe does not beat the benchmark).</summary>
    public required double MinTrackRecordLength { get; init; }
    public double? MeanTurnover { get; init; }
    public double? HoldingPeriod { get; init; }
    public IcSummary? Ic { get; init; }
    public IcSummary? RankIc { get; init; }

    public static MetricReport Compute(
        ReadOnlySpan<double> returns,
        MetricOptions? options = null,
        ReadOnlySpan<double> turnover = default,
        ReadOnlySpan<double> grossExposure = default,
        IcSummary? ic = null,
        IcSummary? rankIc = null)
    {
        options ??= new MetricOptions();
        var n = returns.Length;
        if (n < 2)
        {
            throw new ArgumentException($"At least 2 returns are needed for metrics, got {n}.", nameof(returns));
        }

        options.Validate(n);
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(returns[i]))
            {
                var where = options.Dates is null ? $"index {i}" : $"{options.Dates[i]:yyyy-MM-dd}";
                throw new ArgumentException($"Return at {where} is {returns[i]}; metrics need a finite return for every period (use 0 for a flat period).", nameof(returns));
            }
        }

        var p = options.PeriodsPerYear;
        double sum = 0, growth = 1, downside = 0;
        var wins = 0;
        foreach (var r in returns)
        {
            sum += r;
            growth *= 1 + r;
            downside += r < 0 ? r * r : 0;
            wins += r > 0 ? 1 : 0;
        }

        var mean = sum / n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var r in returns)
        {
            var d = r - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        var std = Math.Sqrt(m2 / (n - 1));
        m2 /= n;
        m3 /= n;
        m4 /= n;
        var skewness = m2 > 0 ? m3 / Math.Pow(m2, 1.5) : 0.0;
        var kurtosis = m2 > 0 ? m4 / (m2 * m2) : 3.0;
        var periodSharpe = std > 0 ? mean / std : 0.0;
        var downsideDeviation = Math.Sqrt(downside / n);
        var annualReturn = growth > 0 ? Math.Pow(growth, p / n) - 1 : -1.0;
        var drawdown = Drawdown.Compute(returns);

        var sqrtP = Math.Sqrt(p);
        var benchmark = options.BenchmarkSharpe / sqrtP;
        var trialVariance = options.TrialSharpeVariance is { } v
            ? v / p
            : SharpeInference.EstimatorVarianceFactor(periodSharpe, skewness, kurtosis) / (n - 1);
        var deflatedBenchmark = SharpeInference.ExpectedMaxSharpe(options.Trials, double.IsNaN(trialVariance) ? 0 : trialVariance);

        double? meanTurnover = turnover.IsEmpty ? null : Mean(turnover);
        double? holding = meanTurnover is > 0 && !grossExposure.IsEmpty ? Mean(grossExposure) / (meanTurnover.Value / 2) : null;
        DateOnly? Date(int? index) => options.Dates is not null && index is >= 0 ? options.Dates[index.Value] : null;

        return new MetricReport
        {
            Periods = n,
            PeriodsPerYear = p,
            AnnualReturn = annualReturn,
            AnnualVolatility = std * sqrtP,
            Sharpe = periodSharpe * sqrtP,
            Sortino = downsideDeviation > 0 ? mean / downsideDeviation * sqrtP : double.PositiveInfinity,
            MaxDrawdown = drawdown,
            MaxDrawdownPeakDate = Date(drawdown.PeakIndex),
            MaxDrawdownTroughDate = Date(drawdown.TroughIndex),
            MaxDrawdownRecoveryDate = Date(drawdown.RecoveryIndex),
            Calmar = drawdown.Depth < 0 ? annualReturn / -drawdown.Depth : double.PositiveInfinity,
            HitRate = (double)wins / n,
            Skewness = skewness,
            Kurtosis = kurtosis,
            ProbabilisticSharpe = SharpeInference.ProbabilisticSharpe(periodSharpe, benchmark, n, skewness, kurtosis),
            DeflatedSharpe = SharpeInference.ProbabilisticSharpe(periodSharpe, deflatedBenchmark, n, skewness, kurtosis),
            DeflatedSharpeBenchmark = deflatedBenchmark * sqrtP,
            Trials = options.Trials,
            MinTrackRecordLength = SharpeInference.MinimumTrackRecordLength(periodSharpe, benchmark, skewness, kurtosis, options.Confidence),
            MeanTurnover = meanTurnover,
            HoldingPeriod = holding,
            Ic = ic,
            RankIc = rankIc,
        };
    }

    /// <summary>The legacy summary the pipeline registers and gates on.</summary>
    public PerformanceMetrics ToPerformanceMetrics() =>
        new(Sharpe, MaxDrawdown.Depth, AnnualReturn, AnnualVolatility, MeanTurnover ?? 0.0, Periods, PeriodsPerYear);

    private static double Mean(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (var x in values)
        {
            s += x;
        }

        return s / values.Length;
    }

    /// <summary>
    /// Flat name → value view with lowercase snake_case keys (as printed by <c>qp metrics</c> and stored in the registry).
    /// Dates are ISO strings; absent values are null; infinities are the strings "inf"/"-inf".
    /// </summary>
    public IReadOnlyDictionary<string, object?> ToDictionary()
    {
        static object? Num(double? x) => x switch
        {
            null => null,
            double.PositiveInfinity => "inf",
            double.NegativeInfinity => "-inf",
            double d when double.IsNaN(d) => null,
            double d => d,
        };

        static string? Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var map = new Dictionary<string, object?>
        {
            ["periods"] = Periods,
            ["periods_per_year"] = PeriodsPerYear,
            ["annual_return"] = Num(AnnualReturn),
            ["annual_volatility"] = Num(AnnualVolatility),
            ["sharpe"] = Num(Sharpe),
            ["sortino"] = Num(Sortino),
            ["max_drawdown"] = Num(MaxDrawdown.Depth),
            ["max_drawdown_peak_index"] = MaxDrawdown.PeakIndex,
            ["max_drawdown_trough_index"] = MaxDrawdown.TroughIndex,
            ["max_drawdown_recovery_index"] = MaxDrawdown.RecoveryIndex,
            ["max_drawdown_peak_date"] = Iso(MaxDrawdownPeakDate),
            ["max_drawdown_trough_date"] = Iso(MaxDrawdownTroughDate),
            ["max_drawdown_recovery_date"] = Iso(MaxDrawdownRecoveryDate),
            ["calmar"] = Num(Calmar),
            ["hit_rate"] = Num(HitRate),
            ["skewness"] = Num(Skewness),
            ["kurtosis"] = Num(Kurtosis),
            ["psr"] = Num(ProbabilisticSharpe),
            ["dsr"] = Num(DeflatedSharpe),
            ["dsr_benchmark_sharpe"] = Num(DeflatedSharpeBenchmark),
            ["trials"] = Trials,
            ["min_track_record_length"] = Num(MinTrackRecordLength),
            ["min_track_record_years"] = Num(MinTrackRecordLength / PeriodsPerYear),
            ["turnover"] = Num(MeanTurnover),
            ["holding_period"] = Num(HoldingPeriod),
        };
        void AddIc(string prefix, IcSummary? s)
        {
            map[prefix + "_mean"] = Num(s?.Mean);
            map[prefix + "_std"] = Num(s?.Std);
            map[prefix + "_ir"] = Num(s?.Icir);
            map[prefix + "_t_stat"] = Num(s?.TStat);
        }

        AddIc("ic", Ic);
        AddIc("rank_ic", RankIc);
        return map;
    }
}
