using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Tests.Features;

public class FeatureCompilerTests
{
    [Fact]
    public void Common_subexpressions_are_shared_across_the_whole_set()
    {
        var set = FeatureCompiler.Compile(
            ("A", "Mean($close, 5) / $close"),
            ("B", "(Mean( $close,5 )) - Ref($close, 1)"),
            ("C", "Mean($close, 5) / $close + Ref($CLOSE, 1)"));

        Assert.Single(set.Nodes, n => n.Op == DagOp.Field);
        Assert.Single(set.Nodes, n => n.Op == DagOp.Rolling);
        Assert.Single(set.Nodes, n => n.Op == DagOp.Shift);
        Assert.Equal(set.Output("A").NodeId, set.Nodes[set.Output("C").NodeId].Inputs[0]);

        // field, mean, A, shift, B, C.
        Assert.Equal(6, set.Nodes.Count);
    }

    [Fact]
    public void Constants_are_folded()
    {
        var set = FeatureCompiler.Compile(("X", "$close * (2 * 3 - 1) + Log(1)"));
        var constants = set.Nodes.Where(n => n.Op == DagOp.Constant).Select(n => n.Value).ToList();
        Assert.Equal([5.0, 0.0], constants);
    }

    [Theory]
    [InlineData("$close", 0)]
    [InlineData("Ref($close, 5)", 5)]
    [InlineData("Mean($close, 20)", 19)]
    [InlineData("Mean(Ref($close, 5), 10)", 14)]
    [InlineData("Mean($close, 10) + Ref($close, 12)", 12)]
    [InlineData("Std(Delta($close, 3), 5) / Max($high, 30)", 29)]
    [InlineData("Corr($close, Ref($volume, 2), 10)", 11)]
    [InlineData("CsRank(Mean($close, 5))", 4)]
    public void Lookback_is_the_longest_history_along_any_path(string expression, int lookback) =>
        Assert.Equal(lookback, FeatureCompiler.Compile(("F", expression)).Output("F").Lookback);

    [Fact]
    public void Exponential_means_count_their_warm_up_as_lookback()
    {
        // span 20: alpha = 2/21; (1 - alpha)^k < 1e-3 needs k = 70.
        Assert.Equal(70, FeatureCompiler.Compile(("F", "EMA($close, 20)")).Output("F").Lookback);
    }

    [Fact]
    public void Labels_may_look_ahead_and_report_how_far()
    {
        var set = FeatureCompiler.Compile([new FeatureDefinition("L", "Ref($close, -2)/Ref($close, -1) - 1")], CompileOptions.Labels);
        Assert.Equal(2, set.Output("L").Lookahead);
        Assert.Equal(0, set.Output("L").Lookback);
    }

    [Fact]
    public void Buffers_are_reused_once_their_last_consumer_has_run()
    {
        // 8 element-wise steps with 8 constants: at any time only the running value, one constant and the result live.
        var set = FeatureCompiler.Compile(("F", "(((((((($close + 1) * 2) - 3) / 4) + 5) * 6) - 7) / 8)"));
        Assert.Equal(17, set.Nodes.Count);
        Assert.Equal(3, set.Plan.SlotCount);
        for (var i = 0; i < set.Nodes.Count; i++)
        {
            foreach (var input in set.Nodes[i].Inputs)
            {
                Assert.NotEqual(set.Plan.SlotOf[input] < 0 ? -2 : set.Plan.SlotOf[input], set.Plan.SlotOf[i]);
            }
        }
    }

    [Fact]
    public void Functions_map_onto_backend_operations_with_Qlib_parameters()
    {
        var set = FeatureCompiler.Compile(
            ("STD", "Std($close, 20)"),
            ("Q", "Quantile($close, 10, 0.8)"),
            ("G", "Greater($open, $close)"),
            ("P", "Power($close, 2)"),
            ("E", "EMA($close, 9)"));
        var std = set.Nodes[set.Output("STD").NodeId];
        Assert.Equal(new RollingSpec(20, 1, 1, 0.5), std.Rolling);
        Assert.Equal(RollingOp.Std, std.RollingOp);
        Assert.Equal(0.8, set.Nodes[set.Output("Q").NodeId].Rolling.Quantile);
        Assert.Equal(BinaryOp.Max, set.Nodes[set.Output("G").NodeId].BinaryOp);
        Assert.Equal(BinaryOp.Pow, set.Nodes[set.Output("P").NodeId].BinaryOp);
        Assert.Equal(0.2, set.Nodes[set.Output("E").NodeId].Ewm.Alpha, 12);
    }

    [Fact]
    public void Duplicate_names_and_unknown_fields_are_reported()
    {
        Assert.Contains("defined twice", Assert.Throws<ArgumentException>(() => FeatureCompiler.Compile(("A", "$close"), ("A", "$open"))).Message);
        var set = FeatureCompiler.Compile(("A", "$clsoe / 2"));
        var e = Assert.Throws<KeyNotFoundException>(() => FeatureEvaluator.Evaluate(set, new Dictionary<string, float[]> { ["close"] = [1f] }, 1, 1, ReferenceBackend.Instance));
        Assert.Contains("$clsoe", e.Message);
        Assert.Contains("used by A", e.Message);
        Assert.Contains("$close", e.Message);
    }
}
