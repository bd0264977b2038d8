namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// One SIMD width of float32 lanes, for kernels whose state needs no more precision than the stored values (order
/// statistics, counts below 2^24): twice the symbols per vector of <see cref="IDoubleLanes{TV}"/>. A mask is a lane
/// whose bits are all ones (true) or all zeros (false).
/// </summary>
internal interface IFloatLanes<TV>
    where TV : struct
{
    /// <summary>Symbols per vector.</summary>
    static abstract int Count { get; }

    static abstract TV Broadcast(float value);

    static abstract TV Load(ref float source);

    static abstract void Store(TV value, ref float destination);

    static abstract TV Add(TV a, TV b);

    static abstract TV Subtract(TV a, TV b);

    static abstract TV Multiply(TV a, TV b);

    static abstract TV Divide(TV a, TV b);

    /// <summary>All-ones lanes where the value is finite (not NaN, not ±∞).</summary>
    static abstract TV IsFinite(TV value);

    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);

    /// <summary>The larger value; inputs are never NaN where this is used.</summary>
    static abstract TV Max(TV a, TV b);

    static abstract TV Equals(TV a, TV b);

    static abstract TV GreaterThan(TV a, TV b);

    static abstract TV GreaterThanOrEqual(TV a, TV b);

    static abstract TV And(TV a, TV b);

    static abstract TV Floor(TV value);
}
