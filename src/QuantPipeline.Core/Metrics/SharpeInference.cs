namespace QuantPipeline.Core.Metrics;

/// <summary>
/// Inference on the Sharpe ratio under non-normal returns (Bailey &amp; López de Prado): probabilistic Sharpe
/// ratio (2012), minimum track-record length (2012) and deflated Sharpe ratio (2014).
/// Every Sharpe ratio here is per period (not annualised); skewness γ₃ and kurtosis γ₄ are the plain
/// (non-excess: 3 for a normal) sample moments of the same returns.
/// </summary>
public static class SharpeInference
{
    public const double EulerMascheroni = 0.57721566490153286;

    /// <summary>
    /// n·Var[SR̂] in the limit: 1 − γ₃·SR + (γ₄ − 1)/4·SR². For normal returns this is 1 + SR²/2.
    /// NaN when the moments make it non-positive (the asymptotics do not hold there).
    /// </summary>
    public static double EstimatorVarianceFactor(double sharpe, double skewness, double kurtosis)
    {
        var v = 1 - skewness * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe;
        return v > 0 ? v : double.NaN;
    }

    /// <summary>PSR(SR*) = Φ((SR̂ − SR*)·√(n − 1) / √(1 − γ₃·SR̂ + (γ₄ − 1)/4·SR̂²)): the probability that the true Sharpe exceeds SR*.</summary>
    public static double ProbabilisticSharpe(double sharpe, double benchmarkSharpe, int observations, double skewness, double kurtosis)
    {
        if (observations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(observations), $"The probabilistic Sharpe ratio needs at least 2 observations, got {observations}.");
        }

        var factor = EstimatorVarianceFactor(sharpe, skewness, kurtosis);
        return NormalDistribution.Cdf((sharpe - benchmarkSharpe) * Math.Sqrt(observations - 1) / Math.Sqrt(factor));
    }

    /// <summary>
    /// Expected maximum Sharpe ratio among <paramref name="trials"/> independent trials whose true Sharpe is zero:
    /// √V·((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e))), γ the Euler–Mascheroni constant, V the variance of the
    /// trials' Sharpe ratios. One trial means no selection, so the benchmark is 0.
    /// </summary>
    public static double ExpectedMaxSharpe(int trials, double trialSharpeVariance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(trialSharpeVariance);
        if (trials == 1)
        {
            return 0;
        }

        return Math.Sqrt(trialSharpeVariance) * ((1 - EulerMascheroni) * NormalDistribution.InverseCdf(1 - 1.0 / trials)
            + EulerMascheroni * NormalDistribution.InverseCdf(1 - 1.0 / (trials * Math.E)));
    }

    /// <summary>DSR = PSR(SR₀) with SR₀ the expected maximum Sharpe of <paramref name="trials"/> unskilled trials.</summary>
    public static double DeflatedSharpe(double sharpe, int observations, double skewness, double kurtosis, int trials, double trialSharpeVariance) =>
        ProbabilisticSharpe(sharpe, ExpectedMaxSharpe(trials, trialSharpeVariance), observations, skewness, kurtosis);

    /// <summary>
    /// MinTRL = 1 + (1 − γ₃·SR̂ + (γ₄ − 1)/4·SR̂²)·(z_α / (SR̂ − SR*))², in observations: the track record needed for
    /// PSR(SR*) to reach <paramref name="confidence"/>. Infinite when SR̂ ≤ SR*.
    /// </summary>
    public static double MinimumTrackRecordLength(double sharpe, double benchmarkSharpe, double skewness, double kurtosis, double confidence = 0.95)
    {
        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), $"Confidence must be in (0, 1), got {confidence}.");
        }

        if (sharpe <= benchmarkSharpe)
        {
            return double.PositiveInfinity;
        }

        var z = NormalDistribution.InverseCdf(confidence);
        var ratio = z / (sharpe - benchmarkSharpe);
        return 1 + EstimatorVarianceFactor(sharpe, skewness, kurtosis) * ratio * ratio;
    }
}
