using ILGPU;
using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>Element-wise and shift kernels: one thread per cell; arithmetic in float64 then rounded once.</summary>
internal static partial class GpuKernels
{
    public static void Unary(Index1D e, ArrayView<float> x, ArrayView<float> dst, GpuKernelParams p) =>
        dst[e] = (float)ApplyUnary((UnaryOp)p.Op, x[e]);

    public static void Binary(Index1D e, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dst, GpuKernelParams p) =>
        dst[e] = (float)ApplyBinary((BinaryOp)p.Op, a[e], b[e]);

    public static void Where(Index1D e, ArrayView<float> cond, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dst)
    {
        var c = cond[e];
        dst[e] = !float.IsNaN(c) && c != 0 ? a[e] : b[e];
    }

    /// <summary>Shift (op 0), diff (1), simple return (2), log return (3) over p.Window periods.</summary>
    public static void Shifted(Index1D e, ArrayView<float> src, ArrayView<float> dst, GpuKernelParams p)
    {
        var i = e / p.N;
        var from = i - p.Window;
        if (from < 0 || from >= p.T)
        {
            dst[e] = float.NaN;
            return;
        }

        var before = src[e - p.Window * p.N];
        double now = src[e];
        dst[e] = p.Op switch
        {
            0 => before,
            1 => (float)(now - before),
            2 => (float)(now / before - 1.0),
            _ => (float)XMath.Log(now / before),
        };
    }

    private static double ApplyUnary(UnaryOp op, double x) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => XMath.Abs(x),
        UnaryOp.Log => XMath.Log(x),
        UnaryOp.Exp => XMath.Exp(x),
        UnaryOp.Sqrt => XMath.Sqrt(x),
        UnaryOp.Sign => double.IsNaN(x) ? double.NaN : x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0,
        _ => double.IsNaN(x) ? double.NaN : x == 0 ? 1.0 : 0.0,
    };

    private static double ApplyBinary(BinaryOp op, double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.NaN;
        }

        return op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.Div => a / b,
            BinaryOp.Pow => XMath.Pow(a, b),
            BinaryOp.Max => a > b ? a : b,
            BinaryOp.Min => a < b ? a : b,
            BinaryOp.Gt => a > b ? 1.0 : 0.0,
            BinaryOp.Lt => a < b ? 1.0 : 0.0,
            BinaryOp.Ge => a >= b ? 1.0 : 0.0,
            BinaryOp.Le => a <= b ? 1.0 : 0.0,
            BinaryOp.Eq => a == b ? 1.0 : 0.0,
            BinaryOp.Ne => a != b ? 1.0 : 0.0,
            BinaryOp.And => a != 0 && b != 0 ? 1.0 : 0.0,
            _ => a != 0 || b != 0 ? 1.0 : 0.0,
        };
    }
}
