using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>Small inputs whose pandas results are worked out by hand in the comments.</summary>
public class PandasHandCheckedTests
{
    public static TheoryData<string> BackendNames() => new(Backends.Names);

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rolling_mean_skips_nan_inside_the_window(string backend)
    {
        // pd.Series([1, 2, nan, 4, 5]).rolling(3, min_periods=2).mean()
        // row 0: {1} has 1 value < 2 → NaN; row 1: (1+2)/2 = 1.5; row 2: {1,2,NaN} → 1.5; row 3: {2,NaN,4} → 3; row 4: {NaN,4,5} → 4.5
        float[] src = [1, 2, float.NaN, 4, 5];
        var dst = new float[5];
        Backends.Get(backend).Rolling(RollingOp.Mean, src, dst, 5, 1, new RollingSpec(3, MinPeriods: 2));
        Assert.True(float.IsNaN(dst[0]));
        Assert.Equal([1.5f, 1.5f, 3f, 4.5f], dst[1..]);
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rolling_std_uses_ddof_1_by_default_and_0_on_request(string backend)
    {
        // pd.Series([1, 2, 3, 4, 10]).rolling(3).std(): rows 2, 3 → 1.0; row 4: values 3, 4, 10, mean 17/3,
        // squared deviations 64/9 + 25/9 + 169/9 = 258/9, / 2 = 14.3333…, √ = 3.785939.
        float[] src = [1, 2, 3, 4, 10];
        var dst = new float[5];
        var b = Backends.Get(backend);
        b.Rolling(RollingOp.Std, src, dst, 5, 1, new RollingSpec(3));
        Assert.True(float.IsNaN(dst[0]) && float.IsNaN(dst[1]));
        Assert.Equal(1.0, dst[2], 6);
        Assert.Equal(1.0, dst[3], 6);
        Assert.Equal(3.785939, dst[4], 5);

        // TA-Lib style ddof = 0 over [1, 2, 3, 4]: squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 4 = 1.25.
        b.Rolling(RollingOp.Var, src, dst, 5, 1, new RollingSpec(4, Ddof: 0));
        Assert.Equal(1.25, dst[3], 6);
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Ewm_matches_the_pandas_documentation_example(string backend)
    {
        // pandas docs: pd.DataFrame({'B': [0, 1, 2, np.nan, 4]}).ewm(com=0.5).mean() → 0, 0.75, 1.615385, 1.615385, 3.670213.
        // α = 2/3; row 4 weights by age (1/3)^4, (1/3)^3, (1/3)^2, –, 1: (1/27 + 2/9 + 4) / (94/81) = 345/94 = 3.670213.
        float[] src = [0, 1, 2, float.NaN, 4];
        var dst = new float[5];
        var b = Backends.Get(backend);
        b.Ewm(src, dst, 5, 1, EwmSpec.FromCom(0.5));
        Assert.Equal([0f, 0.75f, 1.615385f, 1.615385f, 3.670213f], dst.Select(v => MathF.Round(v, 6)).ToArray());

        // adjust=False: 0; 2/3; 1/3·2/3 + 2/3·2 = 14/9 = 1.555556; NaN keeps it and ages old_wt to 1/3;
        // row 4: (1/9 · 14/9 + 2/3 · 4) / (1/9 + 2/3) = 3.650794.
        b.Ewm(src, dst, 5, 1, EwmSpec.FromCom(0.5, adjust: false));
        Assert.Equal([0f, 0.666667f, 1.555556f, 1.555556f, 3.650794f], dst.Select(v => MathF.Round(v, 6)).ToArray());
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Cross_sectional_rank_averages_ties(string backend)
    {
        // pd.Series([3, 1, 4, 1, 5]).rank(pct=True): the two 1s share ranks 1 and 2 → 1.5; / 5 → 0.6, 0.3, 0.8, 0.3, 1.0.
        // Second row: symbol 2 is not a member and symbol 4 is NaN, so [2, 7, -, 2, -] ranks to 0.5, 1.0, NaN, 0.5, NaN.
        float[] src = [3, 1, 4, 1, 5, 2, 7, 9, 2, float.NaN];
        bool[] mask = [true, true, true, true, true, true, true, false, true, true];
        var dst = new float[10];
        Backends.Get(backend).CrossSectional(CrossSectionalOp.Rank, src, mask, dst, 2, 5, new CrossSectionalSpec());
        Assert.Equal([0.6f, 0.3f, 0.8f, 0.3f, 1.0f], dst[..5]);
        Assert.Equal(0.5f, dst[5]);
        Assert.Equal(1.0f, dst[6]);
        Assert.True(float.IsNaN(dst[7]));
        Assert.Equal(0.5f, dst[8]);
        Assert.True(float.IsNaN(dst[9]));
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rsi_with_wilder_smoothing(string backend)
    {
        // Prices 1, 2, 3, 2 with period 2: Δ = –, 1, 1, −1. ewm(alpha=1/2, adjust=False, min_periods=2):
        // gain 1, 1, 0.5 and loss 0, 0, 0.5 from row 1; RSI row 2 = 100·1/(1+0) = 100, row 3 = 100·0.5/1 = 50.
        float[] src = [1, 2, 3, 2];
        var dst = new float[4];
        Backends.Get(backend).Rsi(src, dst, 4, 1, 2);
        Assert.True(float.IsNaN(dst[0]) && float.IsNaN(dst[1]));
        Assert.Equal(100f, dst[2]);
        Assert.Equal(50f, dst[3]);
    }

    [Theory]
    [MemberData(nameof(BackendNames))]
    public void Rolling_skew_matches_pandas(string backend)
    {
        // pd.Series([1, 2, 3, 4, 10]).skew(): mean 4, m2 = 50/5 = 10, m3 = 180/5 = 36,
        // g1 = 36/10^1.5 = 1.138420, × √(5·4)/3 = 1.697056.
        float[] src = [1, 2, 3, 4, 10];
        var dst = new float[5];
        Backends.Get(backend).Rolling(RollingOp.Skew, src, dst, 5, 1, new RollingSpec(5));
        Assert.Equal(1.697056, dst[4], 5);
    }
}
