using QuantPipeline.Core.Panels;
using static TorchSharp.torch;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>
/// A trained model as the pipeline uses it: it scores rows of a panel from the feature-set values the features stage
/// computed, and saves the one artifact file the registry keeps.
/// </summary>
public abstract class PipelineModel : IDisposable
{
    /// <summary>The model.kind it was trained as.</summary>
    public abstract string Kind { get; }

    /// <summary>Scores of every cell in rows [from, to] of the panel, [rows, N]; NaN where the model cannot score.</summary>
    public abstract float[] Predict(float[][] inputs, Panel panel, int from, int to);

    /// <summary>Writes the artifact: the same model always gives the same bytes.</summary>
    public abstract void Save(string path);

    /// <summary>Largest absolute difference between the parameters of two models (+inf when they differ in shape or kind).</summary>
    public abstract double MaxAbsDifference(PipelineModel other);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);

    protected static double MaxAbsDifference(TorchSharp.torch.nn.Module a, TorchSharp.torch.nn.Module b)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        if (!left.Keys.Order(StringComparer.Ordinal).SequenceEqual(right.Keys.Order(StringComparer.Ordinal)))
        {
            return double.PositiveInfinity;
        }

        var max = 0.0;
        foreach (var (name, tensor) in left)
        {
            using var scope = NewDisposeScope();
            var other = right[name];
            if (!tensor.shape.SequenceEqual(other.shape))
            {
                return double.PositiveInfinity;
            }

            if (tensor.numel() > 0)
            {
                max = Math.Max(max, (double)(tensor.to_type(ScalarType.Float64) - other.to_type(ScalarType.Float64)).abs().max().item<double>());
            }
        }

        return max;
    }
}
