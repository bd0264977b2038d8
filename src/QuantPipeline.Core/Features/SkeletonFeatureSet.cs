using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Core.Features;

/// <summary>
/// A small daily feature set on close and volume. Every value at t uses bars up to t only.
/// The rolling means run on the configured backend (native by default in the pipeline).
/// </summary>
public static class SkeletonFeatureSet
{
    public static readonly string[] Names = ["ret_1", "ret_5", "ma_ratio_10", "ma_ratio_20", "vol_20", "volume_z_20"];

    /// <summary>Bars of history a feature value needs (the longest window plus the return's lag).</summary>
    public const int Lookback = 21;

    public static void Compute(Panel panel, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(backend);
        int t = panel.T, n = panel.N;
        var close = panel.Field("close");
        var volume = panel.Field("volume");

        var ret1 = panel.NewBuffer();
        PanelOps.PctChange(close, ret1, t, n, 1);
        panel.SetField("ret_1", ret1);

        var ret5 = panel.NewBuffer();
        PanelOps.PctChange(close, ret5, t, n, 5);
        panel.SetField("ret_5", ret5);

        panel.SetField("ma_ratio_10", RatioToMean(close, backend, t, n, 10));
        panel.SetField("ma_ratio_20", RatioToMean(close, backend, t, n, 20));

        var vol = panel.NewBuffer();
        PanelOps.RollingStd(ret1, vol, t, n, 20, 20);
        panel.SetField("vol_20", vol);

        var volumeMean = new float[t * n];
        backend.RollingMean(volume, volumeMean, t, n, 20, 20);
        var volumeStd = new float[t * n];
        PanelOps.RollingStd(volume, volumeStd, t, n, 20, 20);
        var volumeZ = panel.NewBuffer();
        for (var k = 0; k < volumeZ.Length; k++)
        {
            volumeZ[k] = volumeStd[k] > 0 ? (volume[k] - volumeMean[k]) / volumeStd[k] : float.NaN;
        }

        panel.SetField("volume_z_20", volumeZ);
    }

    private static float[] RatioToMean(float[] close, IComputeBackend backend, int t, int n, int window)
    {
        var mean = new float[t * n];
        backend.RollingMean(close, mean, t, n, window, window);
        for (var k = 0; k < mean.Length; k++)
        {
            mean[k] = mean[k] / close[k] - 1f;
        }

        return mean;
    }
}
