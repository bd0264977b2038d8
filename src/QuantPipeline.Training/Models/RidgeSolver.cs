using QuantPipeline.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Models;

/// <summary>Closed-form ridge in float64: centre X and y, solve (Xc'Xc + λI)w = Xc'yc, b = ȳ − x̄·w.</summary>
public static class RidgeSolver
{
    public static void Fit(LinearRegressor model, SampleSet samples, double lambda)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(lambda);
        if (samples.SequenceLength != 1)
        {
            throw new ArgumentException("Ridge regression reads one bar per sample; build the samples with sequence length 1.");
        }

        using var scope = NewDisposeScope();
        var cells = samples.Rows;
        var x = samples.Values.index_select(0, cells).to_type(ScalarType.Float64);
        var y = samples.Labels.index_select(0, cells).to_type(ScalarType.Float64);
        var xMean = x.mean([0]);
        var yMean = y.mean();
        var xc = x - xMean;
        var yc = y - yMean;
        var gram = xc.t().matmul(xc) + eye(x.shape[1], dtype: ScalarType.Float64, device: x.device) * lambda;
        var w = linalg.solve(gram, xc.t().matmul(yc).unsqueeze(1)).squeeze(1);
        var intercept = (yMean - xMean.dot(w)).item<double>();
        model.SetCoefficients(w, intercept);
    }
}
