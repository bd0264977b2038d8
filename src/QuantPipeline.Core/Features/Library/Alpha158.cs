using System.Globalization;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Features.Library;

/// <summary>
/// Qlib's Alpha158 (Alpha158DL's default configuration): 9 k-bar features, OPEN0/HIGH0/LOW0/VWAP0, and 29
/// rolling families over windows 5, 10, 20, 30, 60 — same names, same formulas, in Qlib's order.
/// Qlib's conventions hold: windows use min_periods = 1 (values appear from the first bar), Std ddof = 1,
/// IdxMax/IdxMin are 1-based from the oldest bar of the window, Rank is the percentile rank of the newest value.
/// </summary>
public static class Alpha158
{
    public const string Name = "alpha158";

    public static readonly IReadOnlyList<int> Windows = [5, 10, 20, 30, 60];

    public static FeatureSet Create() => new(Name, Definitions(), "Qlib Alpha158: k-bar, price and rolling features on daily OHLCV + vwap.");

    public static IReadOnlyList<FeatureDefinition> Definitions()
    {
        var features = new List<FeatureDefinition>
        {
            new("KMID", "($close-$open)/$open"),
            new("KLEN", "($high-$low)/$open"),
            new("KMID2", "($close-$open)/($high-$low+1e-12)"),
            new("KUP", "($high-Greater($open, $close))/$open"),
            new("KUP2", "($high-Greater($open, $close))/($high-$low+1e-12)"),
            new("KLOW", "(Less($open, $close)-$low)/$open"),
            new("KLOW2", "(Less($open, $close)-$low)/($high-$low+1e-12)"),
            new("KSFT", "(2*$close-$high-$low)/$open"),
            new("KSFT2", "(2*$close-$high-$low)/($high-$low+1e-12)"),
        };
        foreach (var field in new[] { "open", "high", "low", "vwap" })
        {
            features.Add(new(field.ToUpperInvariant() + "0", $"${field}/$close"));
        }

        void Family(string prefix, Func<int, string> expression)
        {
            foreach (var d in Windows)
            {
                features.Add(new(prefix + d.ToString(CultureInfo.InvariantCulture), expression(d)));
            }
        }

        const string Up = "Greater($close-Ref($close, 1), 0)";
        const string Down = "Greater(Ref($close, 1)-$close, 0)";
        const string Move = "Abs($close-Ref($close, 1))";
        const string VolUp = "Greater($volume-Ref($volume, 1), 0)";
        const string VolDown = "Greater(Ref($volume, 1)-$volume, 0)";
        const string VolMove = "Abs($volume-Ref($volume, 1))";
        const string WeightedMove = "Abs($close/Ref($close, 1)-1)*$volume";
        Family("ROC", d => $"Ref($close, {d})/$close");
        Family("MA", d => $"Mean($close, {d})/$close");
        Family("STD", d => $"Std($close, {d})/$close");
        Family("BETA", d => $"Slope($close, {d})/$close");
        Family("RSQR", d => $"Rsquare($close, {d})");
        Family("RESI", d => $"Resi($close, {d})/$close");
        Family("MAX", d => $"Max($high, {d})/$close");
        Family("MIN", d => $"Min($low, {d})/$close");
        Family("QTLU", d => $"Quantile($close, {d}, 0.8)/$close");
        Family("QTLD", d => $"Quantile($close, {d}, 0.2)/$close");
        Family("RANK", d => $"Rank($close, {d})");
        Family("RSV", d => $"($close-Min($low, {d}))/(Max($high, {d})-Min($low, {d})+1e-12)");
        Family("IMAX", d => $"IdxMax($high, {d})/{d}");
        Family("IMIN", d => $"IdxMin($low, {d})/{d}");
        Family("IMXD", d => $"(IdxMax($high, {d})-IdxMin($low, {d}))/{d}");
        Family("CORR", d => $"Corr($close, Log($volume+1), {d})");
        Family("CORD", d => $"Corr($close/Ref($close,1), Log($volume/Ref($volume, 1)+1), {d})");
        Family("CNTP", d => $"Mean($close>Ref($close, 1), {d})");
        Family("CNTN", d => $"Mean($close<Ref($close, 1), {d})");
        Family("CNTD", d => $"Mean($close>Ref($close, 1), {d})-Mean($close<Ref($close, 1), {d})");
        Family("SUMP", d => $"Sum({Up}, {d})/(Sum({Move}, {d})+1e-12)");
        Family("SUMN", d => $"Sum({Down}, {d})/(Sum({Move}, {d})+1e-12)");
        Family("SUMD", d => $"(Sum({Up}, {d})-Sum({Down}, {d}))/(Sum({Move}, {d})+1e-12)");
        Family("VMA", d => $"Mean($volume, {d})/($volume+1e-12)");
        Family("VSTD", d => $"Std($volume, {d})/($volume+1e-12)");
        Family("WVMA", d => $"Std({WeightedMove}, {d})/(Mean({WeightedMove}, {d})+1e-12)");
        Family("VSUMP", d => $"Sum({VolUp}, {d})/(Sum({VolMove}, {d})+1e-12)");
        Family("VSUMN", d => $"Sum({VolDown}, {d})/(Sum({VolMove}, {d})+1e-12)");
        Family("VSUMD", d => $"(Sum({VolUp}, {d})-Sum({VolDown}, {d}))/(Sum({VolMove}, {d})+1e-12)");
        return features;
    }
}
