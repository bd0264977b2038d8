namespace QuantPipeline.Core.Compute.Managed;

/// <summary>Two-pass helpers shared by the window operators (NaN marks a missing slot).</summary>
internal static class WindowMath
{
    internal static double Mean(ReadOnlySpan<double> window, int finite)
    {
        double sum = 0;
        foreach (var v in window)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
            }
        }

        return sum / finite;
    }
}
