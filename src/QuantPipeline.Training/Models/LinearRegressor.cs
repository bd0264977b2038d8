using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Models;

/// <summary>y = w·x + b; its weights come from <see cref="RidgeSolver"/>.</summary>
public sealed class LinearRegressor : Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    public LinearRegressor(int inputs)
        : base("linear_regressor")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        _linear = Linear(inputs, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _linear.forward(input).squeeze(-1);

    /// <summary>Sets the weights (length = inputs) and the intercept.</summary>
    public void SetCoefficients(Tensor weights, double intercept)
    {
        using var noGrad = no_grad();
        _linear.weight!.copy_(weights.to_type(ScalarType.Float32).view(1, -1));
        _linear.bias!.fill_(intercept);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _linear.Dispose();
        }

        base.Dispose(disposing);
    }
}
