using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Orchestrator.Reports;

/// <summary>
/// Compounded equity and drawdown of a series of simple periodic returns, starting from capital 1 before the
/// first return (the same convention as <see cref="Drawdown"/>): equity_t = Π_{s≤t}(1 + r_s) and
/// drawdown_t = equity_t / max(1, max_{s≤t} equity_s) − 1. A missing (non-finite) return counts as a flat period.
/// </summary>
public sealed record EquityCurve(
    IReadOnlyList<DateOnly> Dates,
    double[] Equity,
    double[] Drawdowns,
    Drawdown MaxDrawdown)
{
    public double FinalEquity => Equity.Length > 0 ? Equity[^1] : 1.0;

    public double TotalReturn => FinalEquity - 1.0;

    public DateOnly? PeakDate => DateAt(MaxDrawdown.PeakIndex);

    public DateOnly? TroughDate => DateAt(MaxDrawdown.TroughIndex);

    public DateOnly? RecoveryDate => MaxDrawdown.RecoveryIndex is { } i ? DateAt(i) : null;

    public static EquityCurve From(ReportSeries returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        if (returns.Dates.Count != returns.Values.Count)
        {
            throw new ArgumentException($"Series '{returns.Name}' has {returns.Dates.Count} dates but {returns.Values.Count} values; give one return per date.", nameof(returns));
        }

        var clean = returns.Values.Select(r => double.IsFinite(r) ? r : 0.0).ToArray();
        var equity = new double[clean.Length];
        var drawdowns = new double[clean.Length];
        double level = 1, peak = 1;
        for (var i = 0; i < clean.Length; i++)
        {
            level *= 1 + clean[i];
            peak = Math.Max(peak, level);
            equity[i] = level;
            drawdowns[i] = level / peak - 1;
        }

        return new EquityCurve(returns.Dates, equity, drawdowns, Drawdown.Compute(clean));
    }

    private DateOnly? DateAt(int index) => index >= 0 && index < Dates.Count ? Dates[index] : null;
}
