using System.Runtime.InteropServices;

namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>
/// One backtest variant as the sweep kernel reads it: a flat, blittable copy of the options with the rates already
/// in fractions, so the kernel never touches a managed object.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct SweepVariant
{
    /// <summary><see cref="Construction"/>: long the top and short the bottom quantile of the shared order.</summary>
    public const int LongShortQuantile = 0;

    /// <summary><see cref="Construction"/>: weights read from a dense target panel built beforehand.</summary>
    public const int DenseTargets = 1;

    /// <summary><see cref="Construction"/>: long the top k of the shared order.</summary>
    public const int LongOnlyTopK = 2;

    public SweepVariant(int construction, double quantile, int topK, double grossLeverage, double maxWeight, int denseTarget, int delayBars, int rebalanceEvery, bool nextOpen, double commissionRate, double spreadRate, double impactBps, double capital, double borrowRate)
    {
        Construction = construction;
        Quantile = quantile;
        TopK = topK;
        GrossLeverage = grossLeverage;
        MaxWeight = maxWeight;
        DenseTarget = denseTarget;
        DelayBars = delayBars;
        RebalanceEvery = rebalanceEvery;
        NextOpen = nextOpen ? 1 : 0;
        CommissionRate = commissionRate;
        SpreadRate = spreadRate;
        ImpactBps = impactBps;
        Capital = capital;
        BorrowRate = borrowRate;
    }

    // Eight doubles, then six ints: no padding, so the host's layout and the device's agree byte for byte.
    public double Quantile { get; }

    public double GrossLeverage { get; }

    public double MaxWeight { get; }

    public double CommissionRate { get; }

    /// <summary>Half-spread as a fraction, used where the per-name panel is absent or NaN.</summary>
    public double SpreadRate { get; }

    public double ImpactBps { get; }

    public double Capital { get; }

    /// <summary>Borrow fee per bar as a fraction of the short book.</summary>
    public double BorrowRate { get; }

    public int Construction { get; }

    public int TopK { get; }

    /// <summary>Which dense target panel a <see cref="DenseTargets"/> variant reads.</summary>
    public int DenseTarget { get; }

    public int DelayBars { get; }

    public int RebalanceEvery { get; }

    /// <summary>1 for next-open execution, 0 for execution at a close.</summary>
    public int NextOpen { get; }
}
