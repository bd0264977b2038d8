namespace QuantPipeline.Core.Compute.Gpu;

/// <summary>Panel shape and which optional panels a sweep launch carries (absent ones are one-cell placeholders).</summary>
internal readonly struct SweepShape
{
    public SweepShape(int t, int n, bool hasGaps, bool hasVolume, bool hasSpread)
    {
        T = t;
        N = n;
        HasGaps = hasGaps ? 1 : 0;
        HasVolume = hasVolume ? 1 : 0;
        HasSpread = hasSpread ? 1 : 0;
    }

    public int T { get; }

    public int N { get; }

    public int HasGaps { get; }

    /// <summary>1 when the average dollar volume panel (for the square-root impact) is present.</summary>
    public int HasVolume { get; }

    /// <summary>1 when the per-name half-spread panel is present.</summary>
    public int HasSpread { get; }
}
