namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// How a pair statistic is finished from the window's complete pairs: k = count, sa = Σa, saa = Σa², sb = Σb,
/// sbb = Σb², sab = Σab, both series shifted by per-symbol constants (which centered sums do not see).
/// </summary>
internal interface ICoMomentOperator
{
    static abstract TV Invoke<TV, TL>(TV k, TV sa, TV saa, TV sb, TV sbb, TV sab, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

/// <summary>Covariance: (Σab − ΣaΣb/k) / (k − ddof).</summary>
internal readonly struct CovCoMoment : ICoMomentOperator
{
    public static TV Invoke<TV, TL>(TV k, TV sa, TV saa, TV sb, TV sbb, TV sab, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> =>
        TL.Divide(TL.Subtract(sab, TL.Divide(TL.Multiply(sa, sb), k)), TL.Subtract(k, ddof));
}

/// <summary>Pearson correlation: Sab / √(Saa·Sbb); NaN when either side is constant.</summary>
internal readonly struct CorrCoMoment : ICoMomentOperator
{
    public static TV Invoke<TV, TL>(TV k, TV sa, TV saa, TV sb, TV sbb, TV sab, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var zero = TL.Broadcast(0);
        var kSab = TL.Subtract(TL.Multiply(k, sab), TL.Multiply(sa, sb));
        var kSaa = TL.Subtract(TL.Multiply(k, saa), TL.Multiply(sa, sa));
        var kSbb = TL.Subtract(TL.Multiply(k, sbb), TL.Multiply(sb, sb));
        var corr = TL.Divide(kSab, TL.Sqrt(TL.Multiply(kSaa, kSbb)));
        return TL.Select(TL.And(TL.GreaterThan(kSaa, zero), TL.GreaterThan(kSbb, zero)), corr, TL.Broadcast(double.NaN));
    }
}
