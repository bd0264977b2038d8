namespace QuantPipeline.Core.Monitoring;

/// <summary>Drift of one feature (or the predictions) in a current window against its training reference.</summary>
/// <param name="JsDistance">Jensen–Shannon distance, base 2, on the reference's PSI bins.</param>
/// <param name="MissingRateChange">Current minus reference missing rate.</param>
public sealed record DriftFigures(
    string Name,
    int CurrentCount,
    double Psi,
    DriftLevel PsiLevel,
    double KsStatistic,
    double KsPValue,
    double JsDistance,
    double ReferenceMissingRate,
    double CurrentMissingRate,
    double MissingRateChange,
    DriftLevel MissingLevel);
