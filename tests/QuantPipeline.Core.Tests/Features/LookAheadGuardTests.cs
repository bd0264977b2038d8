using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;

namespace QuantPipeline.Core.Tests.Features;

/// <summary>Changing data strictly after t must not change any library feature at or before t.</summary>
public class LookAheadGuardTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var set in FeatureLibrary.Names)
        {
            foreach (var backend in TestBackends.Names)
            {
                data.Add(set, backend);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_feature_at_or_before_t_depends_on_later_data(string setName, string backend)
    {
        var market = TestMarket.Create(t: 80, n: 6, seed: 7);
        var set = FeatureLibrary.Get(setName).Compile();
        var engine = TestBackends.Get(backend);
        var before = FeatureEvaluator.Evaluate(set, market.Fields, market.T, market.N, engine);
        foreach (var cut in new[] { 10, 45, 70 })
        {
            var changed = market.Clone();
            var random = new Random(cut);
            foreach (var values in changed.Fields.Values)
            {
                for (var k = (cut + 1) * market.N; k < values.Length; k++)
                {
                    values[k] = random.Next(4) == 0 ? float.NaN : values[k] * (float)(0.5 + random.NextDouble());
                }
            }

            var after = FeatureEvaluator.Evaluate(set, changed.Fields, market.T, market.N, engine);
            var changedAtOrBeforeCut = 0;
            foreach (var output in set.Outputs)
            {
                var a = before[output.Name].AsSpan(0, (cut + 1) * market.N);
                var b = after[output.Name].AsSpan(0, (cut + 1) * market.N);
                for (var k = 0; k < a.Length; k++)
                {
                    if (BitConverter.SingleToInt32Bits(a[k]) != BitConverter.SingleToInt32Bits(b[k]) && !(float.IsNaN(a[k]) && float.IsNaN(b[k])))
                    {
                        changedAtOrBeforeCut++;
                        Assert.Fail($"{setName}/{output.Name} on {backend}: value at t={k / market.N} changed after editing bars > {cut}.");
                    }
                }
            }

            Assert.Equal(0, changedAtOrBeforeCut);

            // The edit must be visible after the cut, or the test proves nothing.
            Assert.Contains(set.Outputs, o => !after[o.Name].AsSpan((cut + 1) * market.N).SequenceEqual(before[o.Name].AsSpan((cut + 1) * market.N)));
        }
    }

    [Fact]
    public void A_feature_that_reads_the_future_is_rejected_at_compile_time()
    {
        var error = Assert.Throws<ExpressionSyntaxException>(() => FeatureCompiler.Compile(("LEAK", "Mean(Ref($close, -1), 5)")));
        Assert.Equal("LEAK", error.Feature);
        Assert.Equal(18, error.Column);
        Assert.Contains("allowed only in labels", error.Message);
    }
}
