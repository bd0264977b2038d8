using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;

namespace QuantPipeline.Core.Tests.Features;

public class FeatureWorkspaceTests
{
    [Fact]
    public void Reused_workspace_gives_the_fresh_buffer_results_and_keeps_its_buffers()
    {
        var set = Alpha158.Create().Compile();
        var first = TestMarket.Create(t: 70, n: 9, seed: 31);
        var second = TestMarket.Create(t: 70, n: 9, seed: 32);
        var workspace = new FeatureWorkspace();

        var fresh = FeatureEvaluator.Evaluate(set, second.Fields, second.T, second.N, ManagedBackend.Instance);
        Evaluate(set, first, workspace);
        var held = workspace.Cells;
        var reused = Evaluate(set, second, workspace);

        // Every slot was written by the first market; the second must not see any of it.
        Assert.Equal((long)set.Plan.SlotCount * 70 * 9, held);
        Assert.Equal(held, workspace.Cells);
        foreach (var (name, values) in fresh)
        {
            Assert.Equal(values, reused[name]);
        }

        // A different shape replaces the buffers.
        var smaller = TestMarket.Create(t: 40, n: 5, seed: 33);
        var resized = Evaluate(set, smaller, workspace);
        Assert.Equal((long)set.Plan.SlotCount * 40 * 5, workspace.Cells);
        Assert.Equal(FeatureEvaluator.Evaluate(set, smaller.Fields, smaller.T, smaller.N, ManagedBackend.Instance)["CORR20"], resized["CORR20"]);
    }

    private static Dictionary<string, float[]> Evaluate(CompiledFeatureSet set, TestMarket market, FeatureWorkspace workspace)
    {
        var results = new Dictionary<string, float[]>();
        FeatureEvaluator.Evaluate(set, market.Fields, market.T, market.N, ManagedBackend.Instance, (o, v) => results[o.Name] = v.ToArray(), workspace: workspace);
        return results;
    }
}
