namespace QuantPipeline.Core.Compute.Managed;

/// <summary>Two-pass helpers shared by the window operators (NaN marks a missing slot).</summary>
internal static class WindowMath
{
    internal readonly record struct Fit(double MeanX, double MeanY, double Sxx, double Syy, double Sxy);

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

    /// <summary>Centered sums of the regression of the finite values on their slot index (slotOffset + k).</summary>
    internal static Fit Regress(ReadOnlySpan<double> window, int finite, int slotOffset)
    {
        double sumX = 0, sumY = 0;
        for (var k = 0; k < window.Length; k++)
        {
            if (!double.IsNaN(window[k]))
            {
                sumX += slotOffset + k;
                sumY += window[k];
            }
        }

        double meanX = sumX / finite, meanY = sumY / finite, sxx = 0, syy = 0, sxy = 0;
        for (var k = 0; k < window.Length; k++)
        {
            if (!double.IsNaN(window[k]))
            {
                var dx = slotOffset + k - meanX;
                var dy = window[k] - meanY;
                sxx += dx * dx;
                syy += dy * dy;
                sxy += dx * dy;
            }
        }

        return new Fit(meanX, meanY, sxx, syy, sxy);
    }

    /// <summary>Centered sums of squares and cross products of complete pairs.</summary>
    internal static (double Sxx, double Syy, double Sxy) CoMoments(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int complete)
    {
        double sumA = 0, sumB = 0;
        for (var k = 0; k < a.Length; k++)
        {
            if (!double.IsNaN(a[k]))
            {
                sumA += a[k];
                sumB += b[k];
            }
        }

        double meanA = sumA / complete, meanB = sumB / complete, sxx = 0, syy = 0, sxy = 0;
        for (var k = 0; k < a.Length; k++)
        {
            if (!double.IsNaN(a[k]))
            {
                var da = a[k] - meanA;
                var db = b[k] - meanB;
                sxx += da * da;
                syy += db * db;
                sxy += da * db;
            }
        }

        return (sxx, syy, sxy);
    }
}
