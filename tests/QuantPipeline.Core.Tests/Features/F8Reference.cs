using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Tests.Compute;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>The F8 set as a float64 composition of the reference kernels (the independent check of every F8 path).</summary>
internal static class F8Reference
{
    public static Dictionary<string, double[]> Compute(float[] close, float[] volume, bool[]? membership, int t, int n)
    {
        var spec = new RollingSpec(IntradayF8.Window);
        var ret1 = ReferenceKernels.Returns(close, t, n, 1, ReturnKind.Simple);
        var meanC = ReferenceKernels.Rolling(RollingOp.Mean, close, t, n, spec);
        var stdC = ReferenceKernels.Rolling(RollingOp.Std, close, t, n, spec);
        var meanV = ReferenceKernels.Rolling(RollingOp.Mean, volume, t, n, spec);
        var stdV = ReferenceKernels.Rolling(RollingOp.Std, volume, t, n, spec);
        var maxC = ReferenceKernels.Rolling(RollingOp.Max, close, t, n, spec);
        var minC = ReferenceKernels.Rolling(RollingOp.Min, close, t, n, spec);
        var ret1AsFloat = ret1.Select(v => (float)v).ToArray();
        // Ranks are discontinuous: rank the 30-bar return as the kernels store it (divided in float64, rounded once to
        // float32), or a 1-ulp difference between two symbols' returns could swap their order.
        var ret30 = ReferenceKernels.Returns(close, t, n, IntradayF8.Window, ReturnKind.Simple).Select(v => (float)v).ToArray();
        return new Dictionary<string, double[]>
        {
            ["ret_1"] = ret1,
            ["ma_ratio_30"] = meanC.Select((m, k) => m / close[k] - 1).ToArray(),
            ["vol_30"] = ReferenceKernels.Rolling(RollingOp.Std, ret1AsFloat, t, n, spec),
            ["z_close_30"] = meanC.Select((m, k) => (close[k] - m) / stdC[k]).ToArray(),
            ["ewma_ret_hl20"] = ReferenceKernels.Ewm(ret1AsFloat, t, n, EwmSpec.FromHalfLife(IntradayF8.EwmHalfLife)),
            ["max_ratio_30"] = maxC.Select((m, k) => m / close[k]).ToArray(),
            ["min_ratio_30"] = minC.Select((m, k) => m / close[k]).ToArray(),
            ["z_volume_30"] = meanV.Select((m, k) => (volume[k] - m) / stdV[k]).ToArray(),
            ["xs_rank_ret_30"] = ReferenceKernels.CrossSectional(CrossSectionalOp.Rank, ret30, membership, t, n, new CrossSectionalSpec()),
            ["rsi_14"] = ReferenceKernels.Rsi(close, t, n, IntradayF8.RsiPeriod),
        };
    }
}
