namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// The streaming state of the rolling sum / mean / var / std kernels for one window: compensated float64 sums
/// of deviations from a shifted origin, so prices of 1e5 keep their small moves. The origin is given at a rebuild
/// (a robust one: a 1e17 outlier as origin would cancel every other value's deviation); after the window has
/// emptied, the next value becomes it. NaN and ±∞ are skipped; emptying the window resets the sums.
/// </summary>
internal struct MomentWindow
{
    public double Origin;
    public NeumaierSum S1;
    public NeumaierSum S2;
    public int Count;
    public bool Anchored;

    public void Reset(double origin)
    {
        S1 = default;
        S2 = default;
        Count = 0;
        Origin = origin;
        Anchored = true;
    }

    public void Add(float y)
    {
        if (GpuKernels.Missing(y))
        {
            return;
        }

        if (Count == 0 && !Anchored)
        {
            Origin = y;
        }

        var d = y - Origin;
        S1.Add(d);
        S2.Add(d * d);
        Count++;
    }

    public void Remove(float y)
    {
        if (GpuKernels.Missing(y))
        {
            return;
        }

        var d = y - Origin;
        S1.Add(-d);
        S2.Add(-(d * d));
        Count--;
        if (Count == 0)
        {
            S1 = default;
            S2 = default;
            Anchored = false;
        }
    }
}
