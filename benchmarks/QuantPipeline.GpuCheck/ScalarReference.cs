using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.GpuCheck;

/// <summary>
/// The conformance suite's view of the one float64 reference, <see cref="ReferenceKernels"/> (linked from the Core
/// tests), so the GPU check on a device and the managed conformance suite hold every backend to the same definitions.
/// </summary>
public static class ScalarReference
{
    public static double[] Unary(UnaryOp op, float[] x) => ReferenceKernels.Unary(op, x);

    public static double[] Binary(BinaryOp op, float[] a, float[] b) => ReferenceKernels.Binary(op, a, b);

    public static double[] Where(float[] cond, float[] a, float[] b) => ReferenceKernels.Where(cond, a, b);

    /// <param name="kind">0 shift, 1 diff, 2 simple return, 3 log return.</param>
    public static double[] Shifted(int kind, float[] src, int t, int n, int periods) => kind switch
    {
        0 => ReferenceKernels.Shift(src, t, n, periods),
        1 => ReferenceKernels.Diff(src, t, n, periods),
        2 => ReferenceKernels.Returns(src, t, n, periods, ReturnKind.Simple),
        3 => ReferenceKernels.Returns(src, t, n, periods, ReturnKind.Log),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Shift kind must be 0 (shift), 1 (diff), 2 (simple return) or 3 (log return), got {kind}."),
    };

    public static double[] Rolling(RollingOp op, float[] src, int t, int n, RollingSpec spec) => ReferenceKernels.Rolling(op, src, t, n, spec);

    public static double[] RollingPair(RollingPairOp op, float[] a, float[] b, int t, int n, RollingSpec spec) =>
        ReferenceKernels.RollingPair(op, a, b, t, n, spec);

    public static double[] Ewm(float[] src, int t, int n, EwmSpec spec) => ReferenceKernels.Ewm(src, t, n, spec);

    public static double[] Rsi(float[] src, int t, int n, int period) => ReferenceKernels.Rsi(src, t, n, period);

    /// <param name="mask">The universe, or empty for every symbol (as the backends take it).</param>
    public static double[] CrossSectional(CrossSectionalOp op, float[] src, bool[] mask, int t, int n, CrossSectionalSpec spec) =>
        ReferenceKernels.CrossSectional(op, src, mask.Length == 0 ? null : mask, t, n, spec);

    public static double[] FillForward(float[] src, int t, int n, int limit) => ReferenceKernels.FillForward(src, t, n, limit);
}
