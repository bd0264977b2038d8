using System.Runtime.CompilerServices;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>
/// One float64 lane: the scalar fallback of the stateful drivers, and the remainder of a column block that does not
/// fill a vector (stateful kernels cannot overlap the last vector, since a lane would be updated twice).
/// A mask is a double whose bits are all ones (true) or all zeros (false), as in a vector lane.
/// </summary>
internal readonly struct ScalarLanes : IDoubleLanes<double>
{
    private static readonly double True = BitConverter.Int64BitsToDouble(-1L);

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Broadcast(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Subtract(double a, double b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Multiply(double a, double b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Divide(double a, double b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LoadWiden(ref float source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrow(double value, ref float destination) => destination = (float)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RoundToSingle(double value) => (float)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source) => source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination) => destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IsFinite(double value) => Mask(double.IsFinite(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IsNaN(double value) => Mask(double.IsNaN(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Select(double mask, double whenTrue, double whenFalse) => BitConverter.DoubleToInt64Bits(mask) != 0 ? whenTrue : whenFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Max(double a, double b) => a > b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Min(double a, double b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GreaterThan(double a, double b) => Mask(a > b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GreaterThanOrEqual(double a, double b) => Mask(a >= b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NotEqual(double a, double b) => Mask(a != b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double And(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Or(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sqrt(double value) => Math.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MaskBits(double mask) => BitConverter.DoubleToInt64Bits(mask) != 0 ? 1u : 0u;

    private static double Mask(bool condition) => condition ? True : 0.0;
}
