namespace QuantPipeline.Core.Features.Expressions;

/// <summary>The functions the expression language knows, with Qlib's names and argument order.</summary>
public static class FunctionCatalog
{
    private static readonly ParameterKind S = ParameterKind.Series;
    private static readonly ParameterKind W = ParameterKind.Window;

    private static readonly Dictionary<string, FunctionSignature> Known = new FunctionSignature[]
    {
        new("Ref", [S, ParameterKind.Periods], "x n bars ago (negative n looks ahead: labels only)"),
        new("Delta", [S, W], "x − Ref(x, n)"),
        new("Mean", [S, W], "rolling mean, min_periods = 1"),
        new("Sum", [S, W], "rolling sum, min_periods = 1"),
        new("Std", [S, W], "rolling standard deviation, ddof = 1, min_periods = 1"),
        new("Var", [S, W], "rolling variance, ddof = 1, min_periods = 1"),
        new("Skew", [S, W], "rolling skewness (bias-corrected, as pandas)"),
        new("Kurt", [S, W], "rolling excess kurtosis (bias-corrected, as pandas)"),
        new("Max", [S, W], "rolling maximum"),
        new("Min", [S, W], "rolling minimum"),
        new("IdxMax", [S, W], "1-based position of the window maximum, counted from the oldest bar"),
        new("IdxMin", [S, W], "1-based position of the window minimum, counted from the oldest bar"),
        new("Quantile", [S, W, ParameterKind.Number], "rolling quantile q with linear interpolation"),
        new("Rank", [S, W], "percentile rank of the newest value in its window, in (0, 1]"),
        new("Count", [S, W], "number of non-missing values in the window"),
        new("Slope", [S, W], "least-squares slope against time"),
        new("Rsquare", [S, W], "R² of that regression"),
        new("Resi", [S, W], "residual of the newest value from that regression"),
        new("WMA", [S, W], "linearly weighted mean, newest heaviest"),
        new("EMA", [S, W], "exponential mean with span n (pandas ewm(span = n, min_periods = 1).mean(), as Qlib)"),
        new("EMAHL", [S, ParameterKind.Number], "exponential mean with half-life h bars, adjust = true"),
        new("RSI", [S, W], "relative strength index with Wilder smoothing"),
        new("Corr", [S, S, W], "rolling correlation of x and y"),
        new("Cov", [S, S, W], "rolling covariance of x and y, ddof = 1"),
        new("Abs", [S], "absolute value"),
        new("Log", [S], "natural logarithm (NaN for x < 0, −∞ at 0)"),
        new("Exp", [S], "e to the power x"),
        new("Sqrt", [S], "square root"),
        new("Sign", [S], "−1, 0 or 1"),
        new("Power", [S, S], "x to the power y"),
        new("Greater", [S, S], "element-wise maximum"),
        new("Less", [S, S], "element-wise minimum"),
        new("If", [S, S, S], "y where the condition holds, else the third argument"),
        new("CsRank", [S], "cross-sectional percentile rank per timestamp over universe members, in (0, 1]"),
        new("CsZScore", [S], "cross-sectional z-score per timestamp over universe members (ddof = 1)"),
        new("CsDemean", [S], "cross-sectional demeaning per timestamp over universe members"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IEnumerable<FunctionSignature> All => Known.Values;

    public static bool TryGet(string name, out FunctionSignature signature) => Known.TryGetValue(name, out signature!);

    /// <summary>The known function closest to <paramref name="name"/> (case-insensitive edit distance), or null when none is near.</summary>
    public static string? Nearest(string name)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Known.Keys)
        {
            var distance = EditDistance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 2) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
