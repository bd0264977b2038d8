using ILGPU.Algorithms;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// Compensated float64 sum that also supports removal: the rounding error of every step is kept, so a huge
/// value that enters and later leaves the window leaves the small remainder intact.
/// </summary>
internal struct NeumaierSum
{
    public double S;
    public double C;

    public void Add(double x)
    {
        var t = S + x;
        if (XMath.Abs(S) >= XMath.Abs(x))
        {
            C += (S - t) + x;
        }
        else
        {
            C += (x - t) + S;
        }

        S = t;
    }

    public readonly double Value => S + C;
}
