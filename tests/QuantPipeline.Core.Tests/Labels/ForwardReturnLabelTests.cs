using QuantPipeline.Core.Labels;
using QuantPipeline.Core.Tests.Features;

namespace QuantPipeline.Core.Tests.Labels;

public class ForwardReturnLabelTests
{
    private static readonly TestMarket Market = TestMarket.Create(t: 30, n: 3, seed: 11, withGaps: false);

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Forward_return_over_h_bars_ends_h_bars_later(string backend)
    {
        var label = ForwardReturnLabels.Evaluate(ForwardReturnLabels.Forward(5), Market.Fields, Market.Timestamps, Market.N, TestBackends.Get(backend));
        for (var j = 0; j < Market.N; j++)
        {
            var c = Market.Series("close", j);
            for (var i = 0; i < Market.T; i++)
            {
                var expected = i + 5 < Market.T ? c[i + 5] / c[i] - 1 : double.NaN;
                Assert.True(Alpha158Tests.Close(expected, label.Values[i * Market.N + j]), $"t={i}: {expected} vs {label.Values[i * Market.N + j]}");
            }
        }

        Assert.Equal(Market.Timestamps[12], label.EndTime(7));
        Assert.Null(label.EndTime(Market.T - 5));
        Assert.Equal(Market.T - 6, Array.FindLastIndex(label.EndIndex, e => e >= 0));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Qlib_label_buys_next_close_and_sells_the_one_after(string backend)
    {
        var label = ForwardReturnLabels.Evaluate(ForwardReturnLabels.Qlib(), Market.Fields, Market.Timestamps, Market.N, TestBackends.Get(backend));
        var c = Market.Series("close", 2);
        Assert.True(Alpha158Tests.Close(c[6] / c[5] - 1, label.Values[4 * Market.N + 2]));
        Assert.Equal(6, label.EndIndex[4]);
        Assert.True(float.IsNaN(label.Values[(Market.T - 2) * Market.N]));
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Nothing_after_the_as_of_bar_is_read(string backend)
    {
        const int asOf = 19;
        var engine = TestBackends.Get(backend);
        var label = ForwardReturnLabels.Evaluate(ForwardReturnLabels.Forward(3), Market.Fields, Market.Timestamps, Market.N, engine, asOf);

        var poisoned = Market.Clone();
        foreach (var values in poisoned.Fields.Values)
        {
            values.AsSpan((asOf + 1) * Market.N).Fill(float.NaN);
        }

        var fromPoisoned = ForwardReturnLabels.Evaluate(ForwardReturnLabels.Forward(3), poisoned.Fields, Market.Timestamps, Market.N, engine, asOf);
        Assert.Equal(label.Values, fromPoisoned.Values);
        Assert.False(float.IsNaN(label.Values[(asOf - 3) * Market.N]));
        Assert.All(Enumerable.Range((asOf - 2) * Market.N, (Market.T - asOf + 2) * Market.N), k => Assert.True(float.IsNaN(label.Values[k])));
        Assert.Equal(asOf, label.EndIndex[asOf - 3]);
        Assert.Equal(-1, label.EndIndex[asOf - 2]);
    }
}
