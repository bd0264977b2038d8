namespace QuantPipeline.Core.Compute.Managed;

/// <summary>Σx = count·c + Σ(x − c).</summary>
internal readonly struct SumMoment : IMomentOperator
{
    public static TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Add(TL.Multiply(count, shift), s1);
}

/// <summary>mean = c + Σ(x − c) / count.</summary>
internal readonly struct MeanMoment : IMomentOperator
{
    public static TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Add(shift, TL.Divide(s1, count));
}

/// <summary>var = (Σd² − (Σd)²/count) / (count − ddof), clamped at 0 against rounding.</summary>
internal readonly struct VarMoment : IMomentOperator
{
    public static TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Divide(TL.Max(TL.Subtract(s2, TL.Divide(TL.Multiply(s1, s1), count)), TL.Broadcast(0)), TL.Subtract(count, ddof));
}

/// <summary>std = √var.</summary>
internal readonly struct StdMoment : IMomentOperator
{
    public static TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> => TL.Sqrt(VarMoment.Invoke<TV, TL>(count, shift, s1, s2, ddof));
}

/// <summary>Number of finite values in the window.</summary>
internal readonly struct CountMoment : IMomentOperator
{
    public static TV Invoke<TV, TL>(TV count, TV shift, TV s1, TV s2, TV ddof)
        where TV : struct
        where TL : IDoubleLanes<TV> => count;
}
