namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// How a regression statistic is finished from a window's sums. x is the slot's offset from the newest row (0 for the
/// newest, −1 before it …), y is shifted by a per-symbol constant: k = count, sx = Σx, sxx = Σx², sy = Σy, syy = Σy²,
/// sxy = Σxy over the finite slots; <c>newest</c> is the newest shifted y (NaN when missing). Centered sums are
/// formed multiplied by k (k·Sxx = k·sxx − sx², exact in integers) so the only division is the last one.
/// </summary>
internal interface IRegressionOperator
{
    static abstract TV Invoke<TV, TL>(TV k, TV sx, TV sxx, TV sy, TV syy, TV sxy, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

/// <summary>Least-squares slope: Sxy / Sxx.</summary>
internal readonly struct SlopeRegression : IRegressionOperator
{
    public static TV Invoke<TV, TL>(TV k, TV sx, TV sxx, TV sy, TV syy, TV sxy, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV> =>
        TL.Divide(TL.Subtract(TL.Multiply(k, sxy), TL.Multiply(sx, sy)), TL.Subtract(TL.Multiply(k, sxx), TL.Multiply(sx, sx)));
}

/// <summary>R² = Sxy² / (Sxx·Syy); NaN when the window is constant (Syy = 0).</summary>
internal readonly struct RsquareRegression : IRegressionOperator
{
    public static TV Invoke<TV, TL>(TV k, TV sx, TV sxx, TV sy, TV syy, TV sxy, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var kSxy = TL.Subtract(TL.Multiply(k, sxy), TL.Multiply(sx, sy));
        var kSxx = TL.Subtract(TL.Multiply(k, sxx), TL.Multiply(sx, sx));
        var kSyy = TL.Subtract(TL.Multiply(k, syy), TL.Multiply(sy, sy));
        var r2 = TL.Divide(TL.Multiply(kSxy, kSxy), TL.Multiply(kSxx, kSyy));
        return TL.Select(TL.GreaterThan(kSyy, TL.Broadcast(0)), r2, TL.Broadcast(double.NaN));
    }
}

/// <summary>Newest y minus the fitted line at the newest slot (x = 0): y − (ȳ − slope·x̄).</summary>
internal readonly struct ResiRegression : IRegressionOperator
{
    public static TV Invoke<TV, TL>(TV k, TV sx, TV sxx, TV sy, TV syy, TV sxy, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var slope = SlopeRegression.Invoke<TV, TL>(k, sx, sxx, sy, syy, sxy, newest);
        return TL.Subtract(newest, TL.Divide(TL.Subtract(sy, TL.Multiply(slope, sx)), k));
    }
}
