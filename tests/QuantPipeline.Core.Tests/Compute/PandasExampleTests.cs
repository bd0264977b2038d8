using QuantPipeline.Core.Compute;

namespace QuantPipeline.Core.Tests.Compute;

/// <summary>
/// Small series whose expected values were computed with pandas 1.5.3 (Debian's python3-pandas), e.g.
/// <c>x.rolling(4, min_periods=3).skew()</c>, <c>x.ewm(alpha=0.4).mean()</c>, <c>row.rank(pct=True)</c>:
/// an outside reference for the semantics the backends claim to share with pandas.
/// </summary>
public class PandasExampleTests
{
    private const double NaN = double.NaN;

    private static readonly float[] X = [1, 3, float.NaN, 2, 7, 4, 4, float.NaN, 5, 1];
    private static readonly float[] Y = [2, 1, 4, 3, float.NaN, 6, 5, 8, 7, 9];

    public static TheoryData<string> Backends => new() { "managed", "native", "gpu" };

    private static float[] Rolling(string backend, RollingOp op, RollingSpec spec)
    {
        var dst = new float[X.Length];
        TestBackends.Get(backend).Rolling(op, X, dst, X.Length, 1, spec);
        return dst;
    }

    private static void AssertSeries(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            if (double.IsNaN(expected[k]))
            {
                Assert.True(float.IsNaN(actual[k]), $"index {k}: expected NaN, got {actual[k]}");
            }
            else
            {
                Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * Math.Max(1, Math.Abs(expected[k])), $"index {k}: expected {expected[k]}, got {actual[k]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Rolling_statistics_match_pandas(string backend)
    {
        AssertSeries([NaN, NaN, NaN, 0.0, 1.4578629673213044, 0.5855827262813871, 0.7133400736362734, 1.7320508075688767, 1.7320508075688732, -1.293342780733396],
            Rolling(backend, RollingOp.Skew, new RollingSpec(4, 3)));
        AssertSeries([NaN, NaN, NaN, NaN, 2.23486717956162, 1.5, 1.7854671280276815, 1.7854671280276815, 1.5, 2.8888888888888893],
            Rolling(backend, RollingOp.Kurt, new RollingSpec(5, 4)));
        AssertSeries([NaN, 1.0, NaN, 0.6666666666666666, 1.0, 0.6666666666666666, 0.625, NaN, 1.0, 0.3333333333333333],
            Rolling(backend, RollingOp.Rank, new RollingSpec(4, 2)));
        AssertSeries([NaN, 1.5, 1.5, 1.5, 2.5, 3.0, 3.5, 4.0, 4.0, 2.5],
            Rolling(backend, RollingOp.Quantile, new RollingSpec(4, 2, Quantile: 0.25)));
        AssertSeries([NaN, 1.4142135623730951, 1.4142135623730951, 0.7071067811865476, 3.5355339059327378, 2.516611478423583, 1.7320508075688772, 0.0, 0.7071067811865476, 2.8284271247461903],
            Rolling(backend, RollingOp.Std, new RollingSpec(3, 2)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Ewm_rsi_and_corr_match_pandas(string backend)
    {
        var b = TestBackends.Get(backend);
        var dst = new float[X.Length];
        b.Ewm(X, dst, X.Length, 1, new EwmSpec(0.4));
        AssertSeries([1.0, 2.25, 2.25, 2.091370558375634, 4.614309210526315, 4.3308725823121215, 4.1870409525929215, 4.1870409525929215, 4.631730477048007, 2.8997699419458685], dst);
        b.Ewm(X, dst, X.Length, 1, new EwmSpec(0.4, Adjust: false));
        AssertSeries([1.0, 1.8000000000000003, 1.8000000000000003, 1.9052631578947368, 3.943157894736842, 3.965894736842105, 3.9795368421052633, 3.9795368421052633, 4.51662271468144, 3.1099736288088637], dst);
        b.Rsi(X, dst, X.Length, 1, 3);
        AssertSeries([NaN, NaN, NaN, NaN, NaN, 70.52023121387283, 70.52023121387283, 70.52023121387283, 70.52023121387283, 23.58627356210731], dst);
        b.RollingPair(RollingPairOp.Corr, X, Y, dst, X.Length, 1, new RollingSpec(4, 3));
        AssertSeries([NaN, NaN, NaN, -0.5000000000000002, NaN, NaN, 0.9449111825230678, NaN, 0.8660254037844359, -0.7205766921228934], dst);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Cross_sectional_rank_and_zscore_match_pandas(string backend)
    {
        var b = TestBackends.Get(backend);
        float[] row = [3, 1, 3, float.NaN, 2, 5];
        var dst = new float[row.Length];
        b.CrossSectional(CrossSectionalOp.Rank, row, [], dst, 1, row.Length, new CrossSectionalSpec(0.01, 0.99, 1));
        AssertSeries([0.7, 0.2, 0.7, NaN, 0.4, 1.0], dst);
        b.CrossSectional(CrossSectionalOp.ZScore, row, [], dst, 1, row.Length, new CrossSectionalSpec(0.01, 0.99, 1));
        AssertSeries([0.13483997249264854, -1.2135597524338355, 0.13483997249264854, NaN, -0.5393598899705935, 1.4832396974191326], dst);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Qlib_style_arg_extremes_are_one_based_from_the_oldest_slot(string backend)
    {
        // Window 4 over [1, 3, NaN, 2, 7, 4, 4, NaN, 5, 1].
        var max = Rolling(backend, RollingOp.ArgMax, new RollingSpec(4, 1));
        var min = Rolling(backend, RollingOp.ArgMin, new RollingSpec(4, 1));
        Assert.Equal(2f, max[6]); // [2, 7, 4, 4]: 7 in slot 2
        Assert.Equal(1f, min[6]); // 2 in slot 1
        Assert.Equal(1f, min[8]); // [4, 4, NaN, 5]: tie of 4s keeps the oldest slot
        Assert.Equal(3f, max[9]); // [4, NaN, 5, 1]: 5 in slot 3
        Assert.Equal(4f, min[9]); // 1 in slot 4
        Assert.Equal(2f, max[1]); // partial window [1, 3] counts from its first bar
    }
}
