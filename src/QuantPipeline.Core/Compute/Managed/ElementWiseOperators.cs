using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>An element-wise operation of two float32 inputs at every width the driver uses.</summary>
internal interface IBinaryOperator
{
    static abstract float Invoke(float a, float b);

    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);

    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>An element-wise operation of one float32 input.</summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);

    static abstract Vector128<float> Invoke(Vector128<float> x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>Sign: −1, 0 or 1; NaN stays NaN.</summary>
internal readonly struct SignOperator : IUnaryOperator
{
    public static float Invoke(float x) => float.IsNaN(x) ? x : MathF.Sign(x);

    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One,
            Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), -Vector128<float>.One, x * Vector128<float>.Zero));

    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -Vector256<float>.One, x * Vector256<float>.Zero));

    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -Vector512<float>.One, x * Vector512<float>.Zero));
}

/// <summary>Logical not: 1 where x = 0, else 0; NaN stays NaN.</summary>
internal readonly struct NotOperator : IUnaryOperator
{
    public static float Invoke(float x) => float.IsNaN(x) ? x : x == 0 ? 1f : 0f;

    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, x), Vector128.Equals(x, Vector128<float>.Zero) & Vector128<float>.One, x);

    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x), Vector256.Equals(x, Vector256<float>.Zero) & Vector256<float>.One, x);

    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, x), Vector512.Equals(x, Vector512<float>.Zero) & Vector512<float>.One, x);
}

/// <summary>The comparisons and logic of <see cref="BinaryOp"/>: 1 or 0, NaN when either operand is NaN.</summary>
internal interface IPredicate
{
    static abstract bool Invoke(float a, float b);

    static abstract Vector128<float> Invoke(Vector128<float> a, Vector128<float> b);

    static abstract Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);

    static abstract Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>Turns a predicate into 1/0 with NaN propagation.</summary>
internal readonly struct PredicateOperator<TP> : IBinaryOperator
    where TP : IPredicate
{
    public static float Invoke(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : TP.Invoke(a, b) ? 1f : 0f;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) =>
        Vector128.ConditionalSelect(Vector128.Equals(a, a) & Vector128.Equals(b, b), TP.Invoke(a, b) & Vector128<float>.One, Vector128.Create(float.NaN));

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) =>
        Vector256.ConditionalSelect(Vector256.Equals(a, a) & Vector256.Equals(b, b), TP.Invoke(a, b) & Vector256<float>.One, Vector256.Create(float.NaN));

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) =>
        Vector512.ConditionalSelect(Vector512.Equals(a, a) & Vector512.Equals(b, b), TP.Invoke(a, b) & Vector512<float>.One, Vector512.Create(float.NaN));
}

internal readonly struct GreaterThanPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a > b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);
}

internal readonly struct LessThanPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a < b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);
}

internal readonly struct GreaterOrEqualPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a >= b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);
}

internal readonly struct LessOrEqualPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a <= b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b);
}

internal readonly struct EqualPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a == b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
}

internal readonly struct NotEqualPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a != b;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => ~Vector128.Equals(a, b);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => ~Vector256.Equals(a, b);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => ~Vector512.Equals(a, b);
}

internal readonly struct AndPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a != 0 && b != 0;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => ~Vector128.Equals(a, Vector128<float>.Zero) & ~Vector128.Equals(b, Vector128<float>.Zero);

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => ~Vector256.Equals(a, Vector256<float>.Zero) & ~Vector256.Equals(b, Vector256<float>.Zero);

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => ~Vector512.Equals(a, Vector512<float>.Zero) & ~Vector512.Equals(b, Vector512<float>.Zero);
}

internal readonly struct OrPredicate : IPredicate
{
    public static bool Invoke(float a, float b) => a != 0 || b != 0;

    public static Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => ~(Vector128.Equals(a, Vector128<float>.Zero) & Vector128.Equals(b, Vector128<float>.Zero));

    public static Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => ~(Vector256.Equals(a, Vector256<float>.Zero) & Vector256.Equals(b, Vector256<float>.Zero));

    public static Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => ~(Vector512.Equals(a, Vector512<float>.Zero) & Vector512.Equals(b, Vector512<float>.Zero));
}
