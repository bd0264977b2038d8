using QuantPipeline.Core.Labels;

namespace QuantPipeline.Core.Tests.Labels;

public class TripleBarrierLabelTests
{
    /// <summary>One symbol whose returns alternate ±1 % (σ of the last 4 returns = 1.1547 %), then a chosen path.</summary>
    private static float[] Path(params double[] tail)
    {
        var prices = new List<double> { 100 };
        for (var i = 0; i < 4; i++)
        {
            prices.Add(prices[^1] * (i % 2 == 0 ? 1.01 : 0.99));
        }

        prices.AddRange(tail.Select(r => prices[^1] * (1 + r)));
        return prices.Select(p => (float)p).ToArray();
    }

    private static readonly TripleBarrierSpec Spec = new(Horizon: 3, ProfitTake: 1, StopLoss: 1, VolatilityWindow: 4);

    [Fact]
    public void Profit_take_is_touched_first()
    {
        // Entry at bar 4: +0.5 %, then +1.0 % more (cumulative 1.5 % ≥ σ = 1.15 %).
        var result = TripleBarrierLabels.Compute(Path(0.005, 0.01, -0.05), 8, 1, Spec);
        Assert.Equal(1f, result.Label[4]);
        Assert.Equal(BarrierHit.ProfitTake, result.Barrier[4]);
        Assert.Equal(6, result.TouchIndex[4]);
        Assert.Equal(1.005 * 1.01 - 1, result.Return[4], 5);
    }

    [Fact]
    public void Stop_loss_is_touched_first()
    {
        var result = TripleBarrierLabels.Compute(Path(-0.002, -0.012, 0.05), 8, 1, Spec);
        Assert.Equal(-1f, result.Label[4]);
        Assert.Equal(BarrierHit.StopLoss, result.Barrier[4]);
        Assert.Equal(6, result.TouchIndex[4]);
    }

    [Fact]
    public void Vertical_barrier_labels_the_sign_of_the_return_after_h_bars()
    {
        var result = TripleBarrierLabels.Compute(Path(0.003, -0.004, 0.002, 0.0), 9, 1, Spec);
        Assert.Equal(BarrierHit.Vertical, result.Barrier[4]);
        Assert.Equal(7, result.TouchIndex[4]);
        Assert.Equal(Math.Sign(1.003 * 0.996 * 1.002 - 1), (int)result.Label[4]);
    }

    [Fact]
    public void Labels_without_volatility_or_past_the_as_of_bar_are_unknown()
    {
        var close = Path(0.003, -0.004, 0.002, 0.0, 0.001);
        var result = TripleBarrierLabels.Compute(close, 10, 1, Spec, asOfIndex: 8);
        Assert.Equal(BarrierHit.None, result.Barrier[3]);
        Assert.True(float.IsNaN(result.Label[3]));
        Assert.Equal(BarrierHit.Vertical, result.Barrier[5]);
        Assert.Equal(BarrierHit.None, result.Barrier[6]);
        Assert.Equal(-1, result.TouchIndex[6]);

        // Data after the as-of bar cannot change anything.
        var edited = (float[])close.Clone();
        edited[9] = 1;
        var again = TripleBarrierLabels.Compute(edited, 10, 1, Spec, asOfIndex: 8);
        Assert.Equal(result.Label, again.Label);
        Assert.Equal(result.TouchIndex, again.TouchIndex);
    }
}
