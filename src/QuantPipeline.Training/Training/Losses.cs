using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training.Training;

public static class Losses
{
    /// <summary>
    /// Mean over dates of the Pearson correlation between predictions and labels; dates with fewer
    /// than two samples or no variance carry no weight. Differentiable in the predictions.
    /// </summary>
    public static Tensor MeanDailyIc(Tensor predictions, Tensor labels, Tensor dates)
    {
        using var scope = NewDisposeScope();
        var (sortedDates, order) = dates.sort(0, descending: false, stable: true);
        var p = predictions.index_select(0, order);
        var y = labels.index_select(0, order);
        var (_, group, counts) = sortedDates.unique_consecutive(return_inverse: true, return_counts: true);
        var groups = counts!.shape[0];
        var n = counts.to_type(p.dtype);
        Tensor GroupSum(Tensor v) => zeros(groups, v.dtype, v.device).index_add_(0, group!, v, 1);
        var pCentred = p - (GroupSum(p) / n).index_select(0, group!);
        var yCentred = y - (GroupSum(y) / n).index_select(0, group!);
        var covariance = GroupSum(pCentred * yCentred);
        var varianceP = GroupSum(pCentred.square());
        var varianceY = GroupSum(yCentred.square());
        var usable = (counts >= 2) & (varianceP > 0) & (varianceY > 0);
        var ic = where(usable, covariance / (varianceP * varianceY).clamp_min(1e-30).sqrt(), 0.0);
        var weight = usable.to_type(p.dtype);
        return (ic.sum() / weight.sum().clamp_min(1)).MoveToOuterDisposeScope();
    }

    public static Tensor Compute(LossKind kind, Tensor predictions, Tensor labels, Tensor dates) => kind switch
    {
        LossKind.NegativeIc => -MeanDailyIc(predictions, labels, dates),
        _ => nn.functional.mse_loss(predictions, labels),
    };
}
