namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// A window statistic found by one pass over the window's slots, oldest first, for a vector of symbols at once:
/// <see cref="Step"/> sees each slot's value, whether it is finite, its 0-based position and the newest value, and
/// carries two accumulators per lane; <see cref="Finish"/> turns them and the finite count into the output.
/// </summary>
internal interface ILaneScanOperator
{
    static abstract double InitialA { get; }

    static abstract TV Step<TV, TL>(TV value, TV finite, TV slot, TV newest, ref TV a, TV b)
        where TV : struct
        where TL : IDoubleLanes<TV>;

    static abstract TV Finish<TV, TL>(TV a, TV b, TV finiteCount, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV>;
}

/// <summary>
/// Percentile rank of the newest value among the window's finite values, average ties, in (0, 1]:
/// (less + (equal + 1) / 2) / finite, where equal counts the newest itself; NaN when the newest is missing.
/// a = count of finite values below the newest, b = count at or below it.
/// </summary>
internal readonly struct RankScan : ILaneScanOperator
{
    public static double InitialA => 0;

    public static TV Step<TV, TL>(TV value, TV finite, TV slot, TV newest, ref TV a, TV b)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        var one = TL.And(finite, TL.Broadcast(1));
        a = TL.Add(a, TL.And(TL.GreaterThan(newest, value), one));
        return TL.Add(b, TL.And(TL.GreaterThanOrEqual(newest, value), one));
    }

    public static TV Finish<TV, TL>(TV a, TV b, TV finiteCount, TV newest)
        where TV : struct
        where TL : IDoubleLanes<TV>
    {
        // b − a = equal values, the newest among them.
        var half = TL.Broadcast(0.5);
        var rank = TL.Divide(TL.Add(a, TL.Multiply(TL.Add(TL.Subtract(b, a), TL.Broadcast(1)), half)), finiteCount);
        return TL.Select(TL.IsFinite(newest), rank, TL.Broadcast(double.NaN));
    }
}
