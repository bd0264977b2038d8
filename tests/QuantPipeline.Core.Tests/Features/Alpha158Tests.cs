using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;

namespace QuantPipeline.Core.Tests.Features;

public class Alpha158Tests
{
    private static readonly TestMarket Market = TestMarket.Create(t: 90, n: 5, seed: 158);

    [Fact]
    public void Has_Qlibs_158_names_in_order()
    {
        var names = Alpha158.Create().Names.ToList();
        Assert.Equal(158, names.Count);
        Assert.Equal(158, names.Distinct().Count());
        Assert.Equal(["KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2", "OPEN0", "HIGH0", "LOW0", "VWAP0", "ROC5"], names.Take(14));
        Assert.Equal("VSUMD60", names[^1]);
        Assert.Contains("IMXD30", names);
    }

    [Fact]
    public void Whole_set_shares_subexpressions_and_needs_sixty_bars_of_history()
    {
        var set = Alpha158.Create().Compile();

        // 158 outputs over ~300 distinct computations: Ref($close, 1), Max($high, d), 1e-12 … each exist once.
        Assert.Equal(set.Nodes.Count, set.Nodes.Select(n => n.Key).Distinct().Count());
        Assert.Single(set.Nodes, n => n.Key == "Shift[1](" + set.Nodes.Single(f => f.Field == "close").Id + ")");
        Assert.Equal(6, set.Fields.Count);
        Assert.Equal(60, set.Lookback);
        Assert.Equal(0, set.Lookahead);
        Assert.Equal(59, set.Output("MA60").Lookback);
        Assert.Equal(60, set.Output("CORD60").Lookback);
        Assert.Equal(0, set.Output("KMID").Lookback);
        Assert.True(set.Plan.SlotCount < set.Nodes.Count / 3, $"{set.Plan.SlotCount} buffers for {set.Nodes.Count} nodes");
    }

    [Theory]
    [MemberData(nameof(TestBackends.All), MemberType = typeof(TestBackends))]
    public void Every_feature_matches_its_float64_reference(string backend)
    {
        var set = Alpha158.Create().Compile();
        var values = FeatureEvaluator.Evaluate(set, Market.Fields, Market.T, Market.N, TestBackends.Get(backend));
        var failures = new List<string>();
        foreach (var output in set.Outputs)
        {
            for (var j = 0; j < Market.N; j++)
            {
                var expected = Alpha158Reference.Compute(output.Name, Market, j);
                for (var i = 0; i < Market.T; i++)
                {
                    var actual = values[output.Name][i * Market.N + j];
                    if (!Close(expected[i], actual))
                    {
                        failures.Add($"{output.Name}[t={i}, symbol {j}]: expected {expected[i]:R}, got {actual:R}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} mismatches, first: {string.Join("\n", failures.Take(10))}");
    }

    internal static bool Close(double expected, float actual)
    {
        if (double.IsNaN(expected) || float.IsNaN(actual))
        {
            return double.IsNaN(expected) && float.IsNaN(actual);
        }

        return Math.Abs(expected - actual) <= 2e-4 * (1 + Math.Abs(expected));
    }
}
