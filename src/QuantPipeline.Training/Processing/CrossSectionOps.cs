using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Processing;

/// <summary>
/// Normalisations over the symbol axis (dim 1) of a [T, N, F] float64 tensor, all as whole-tensor
/// operations. Statistics use only cells where <c>valid</c> is true; non-finite inputs stay NaN.
/// </summary>
internal static class CrossSectionOps
{
    public static Tensor ZScore(Tensor x, Tensor valid)
    {
        var count = valid.sum(1, keepdim: true, type: ScalarType.Float64).clamp_min(1);
        var mean = where(valid, x, 0.0).sum(1, keepdim: true) / count;
        var deviation = where(valid, x - mean, 0.0);
        var std = (deviation.square().sum(1, keepdim: true) / count).sqrt();
        var z = (x - mean) / std;
        // A constant cross-section carries no ranking information: centre it instead of dividing by zero.
        return where(std > 0, z, where(x.isfinite(), 0.0, double.NaN));
    }

    public static Tensor Rank(Tensor x, Tensor valid)
    {
        var count = valid.sum(1, keepdim: true, type: ScalarType.Float64);
        var key = where(valid, x, double.PositiveInfinity);
        var (_, order) = key.sort(1, descending: false, stable: true);
        var rank = order.argsort(1).to_type(ScalarType.Float64);
        var scaled = where(count > 1, rank * 2.0 / (count - 1).clamp_min(1) - 1.0, 0.0);
        return where(valid, scaled, double.NaN);
    }
}
