namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// One SIMD width of float64 lanes for the stateful drivers: float32 symbols are widened on load and narrowed on store,
/// so state (sums, weights) is float64 while memory traffic stays float32. A driver written once against this
/// interface runs at 512, 256 or 128 bits; the widest accelerated width is picked at run time.
/// </summary>
internal interface IDoubleLanes<TV>
    where TV : struct
{
    /// <summary>Symbols per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Broadcast(double value);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    static abstract TV LoadWiden(ref float source);

    static abstract void StoreNarrow(TV value, ref float destination);

    /// <summary>Each lane rounded to float32 and widened back: the value a <see cref="StoreNarrow"/> and reload would give.</summary>
    static abstract TV RoundToSingle(TV value);

    static abstract TV Load(ref double source);

    static abstract void Store(TV value, ref double destination);

    /// <summary>All-ones lanes where the value is finite (not NaN, not ±∞).</summary>
    static abstract TV IsFinite(TV value);

    static abstract TV IsNaN(TV value);

    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);

    static abstract TV Max(TV a, TV b);

    static abstract TV Min(TV a, TV b);

    static abstract TV GreaterThan(TV a, TV b);

    static abstract TV GreaterThanOrEqual(TV a, TV b);

    static abstract TV NotEqual(TV a, TV b);

    static abstract TV And(TV a, TV b);

    static abstract TV Or(TV a, TV b);

    static abstract TV Sqrt(TV value);

    /// <summary>One bit per lane, set where the mask lane is all ones.</summary>
    static abstract uint MaskBits(TV mask);
}
