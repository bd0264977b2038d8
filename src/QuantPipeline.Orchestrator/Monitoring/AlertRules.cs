using System.Globalization;
using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Turns monitoring figures into alerts: which finding is worth telling, at which severity.</summary>
internal sealed class AlertRules(MonitorOptions options, string modelName, int modelVersion, DateOnly asOf, DateTime raisedUtc)
{
    private readonly List<Alert> _alerts = [];

    public IReadOnlyList<Alert> From(IReadOnlyList<DriftFigures> drift, DecayFigures decay, DataQualityReport quality)
    {
        foreach (var d in drift)
        {
            if (d.PsiLevel != DriftLevel.Ok)
            {
                var threshold = d.PsiLevel == DriftLevel.Alert ? options.Drift.PsiAlert : options.Drift.PsiWarn;
                Add(Severity(d.PsiLevel), "drift.psi", d.Name, d.Psi, threshold,
                    F($"PSI {d.Psi:0.000} ≥ {threshold:0.###} against the training reference (KS D {d.KsStatistic:0.000}, p {d.KsPValue:0.###E+0}; JS distance {d.JsDistance:0.000})"));
            }

            if (d.MissingLevel != DriftLevel.Ok)
            {
                var threshold = d.MissingLevel == DriftLevel.Alert ? options.Drift.MissingRateChangeAlert : options.Drift.MissingRateChangeWarn;
                Add(Severity(d.MissingLevel), "drift.missing_rate", d.Name, d.MissingRateChange, threshold,
                    F($"missing rate {d.CurrentMissingRate:P1} against {d.ReferenceMissingRate:P1} at training (change {d.MissingRateChange:+0.0%;-0.0%})"));
            }
        }

        var lastRollingIc = decay.RollingIc.Length > 0 ? decay.RollingIc[^1] : double.NaN;
        if (double.IsFinite(lastRollingIc) && lastRollingIc < options.MinRollingIc)
        {
            Add(AlertSeverity.Warning, "decay.ic", "model", lastRollingIc, options.MinRollingIc,
                F($"rolling {options.RollingWindowSessions}-session IC {lastRollingIc:0.0000} < {options.MinRollingIc:0.####} for {decay.TrailingSessionsBelowIc} sessions (validation IC {decay.ValidationIcMean:0.0000})"));
        }

        var lastRollingSharpe = decay.RollingSharpe.Length > 0 ? decay.RollingSharpe[^1] : double.NaN;
        if (double.IsFinite(lastRollingSharpe) && lastRollingSharpe < options.MinRollingSharpe)
        {
            Add(AlertSeverity.Warning, "decay.sharpe", "model", lastRollingSharpe, options.MinRollingSharpe,
                F($"rolling {options.RollingWindowSessions}-session Sharpe {lastRollingSharpe:0.00} (annualised ×252) < {options.MinRollingSharpe:0.##}; validation Sharpe {decay.ValidationSharpe:0.00}"));
        }

        if (decay.Cusum.Alarmed)
        {
            var alarmDate = decay.Sessions[decay.Cusum.AlarmIndex!.Value];
            Add(AlertSeverity.Critical, "decay.change_point", "model", decay.Cusum.Statistic[decay.Cusum.AlarmIndex.Value], options.CusumThresholdSigmas * decay.ValidationIcStd,
                F($"CUSUM on the daily IC signalled a fall from the validation mean {decay.ValidationIcMean:0.0000} on {alarmDate:yyyy-MM-dd}; the change began about {decay.ChangeDate:yyyy-MM-dd}"));
        }

        if (quality.Stale || quality.MissingSessions.Count > 0)
        {
            Add(AlertSeverity.Critical, "data.stale", "market", quality.MissingSessions.Count, 0,
                F($"{quality.MissingSessions.Count} expected sessions have no bars ({string.Join(", ", quality.MissingSessions.Take(5).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}{(quality.MissingSessions.Count > 5 ? ", …" : "")}); last data {quality.LastObserved:yyyy-MM-dd}, last expected session {quality.LastExpected:yyyy-MM-dd}. Check the ingest."));
        }

        if (quality.UniverseShrunk)
        {
            Add(AlertSeverity.Warning, "data.universe", "market", quality.UniverseSize, (1 - options.DataQuality.MaxUniverseShrink) * quality.UniversePeak,
                F($"{quality.UniverseSize} symbols traded on the last session against {quality.UniversePeak} at the window's peak"));
        }

        foreach (var burst in quality.NanBursts.GroupBy(b => b.Field))
        {
            var worst = burst.MaxBy(b => b.Missing)!;
            Add(AlertSeverity.Warning, "data.nan_burst", burst.Key, (double)worst.Missing / worst.Symbols, options.DataQuality.MaxNanShare,
                F($"{burst.Count()} sessions with more than {options.DataQuality.MaxNanShare:P0} of symbols missing '{burst.Key}'; worst {worst.Session:yyyy-MM-dd} ({worst.Missing} of {worst.Symbols})"));
        }

        foreach (var jump in quality.PriceJumps.GroupBy(j => j.Symbol))
        {
            var worst = jump.MaxBy(j => Math.Abs(j.Return))!;
            Add(AlertSeverity.Warning, "data.price_jump", jump.Key, worst.Return, options.DataQuality.MaxAbsReturn,
                F($"close moved {worst.Return:+0.0%;-0.0%} on {worst.Session:yyyy-MM-dd} (bound ±{options.DataQuality.MaxAbsReturn:P0}); moves beyond the bound in the window: {jump.Count()}. Check for an unadjusted split or a bad print."));
        }

        return _alerts;
    }

    private static AlertSeverity Severity(DriftLevel level) => level == DriftLevel.Alert ? AlertSeverity.Critical : AlertSeverity.Warning;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Add(AlertSeverity severity, string kind, string subject, double value, double threshold, string message) =>
        _alerts.Add(new Alert(severity, kind, subject, message, asOf, value, threshold, modelName, modelVersion, raisedUtc));
}
