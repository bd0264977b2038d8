using System.Runtime.Intrinsics;

namespace QuantPipeline.Core.Compute.Managed;

/// <summary>A kernel over a contiguous range of symbols with float32 lanes (see <see cref="IFloatLanes{TV}"/>).</summary>
internal interface IFloatColumnKernel
{
    void Run<TV, TL>(int first, int count)
        where TV : struct
        where TL : IFloatLanes<TV>;
}

/// <summary>Width dispatch and parallel column blocks for <see cref="IFloatColumnKernel"/>.</summary>
internal static class FloatColumnKernel
{
    internal static void Run<TK>(TK kernel, int n)
        where TK : struct, IFloatColumnKernel =>
        ColumnBlocks.For(n, (first, count) => RunBlock(kernel, first, count));

    private static void RunBlock<TK>(TK kernel, int first, int count)
        where TK : struct, IFloatColumnKernel
    {
        var vectorised = 0;
        if (Vector512.IsHardwareAccelerated && count >= Vector512<float>.Count)
        {
            vectorised = count - count % Vector512<float>.Count;
            kernel.Run<Vector512<float>, FloatLanes512>(first, vectorised);
        }
        else if (Vector256.IsHardwareAccelerated && count >= Vector256<float>.Count)
        {
            vectorised = count - count % Vector256<float>.Count;
            kernel.Run<Vector256<float>, FloatLanes256>(first, vectorised);
        }
        else if (Vector128.IsHardwareAccelerated && count >= Vector128<float>.Count)
        {
            vectorised = count - count % Vector128<float>.Count;
            kernel.Run<Vector128<float>, FloatLanes128>(first, vectorised);
        }

        if (vectorised < count)
        {
            kernel.Run<float, ScalarFloatLanes>(first + vectorised, count - vectorised);
        }
    }
}
