using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Models;

/// <summary>Multi-layer perceptron: inputs → hidden layers (ReLU, optional dropout) → one output.</summary>
public sealed class MlpRegressor : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _layers;

    public MlpRegressor(int inputs, IReadOnlyList<int> hidden, double dropout = 0.0)
        : base("mlp_regressor")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentNullException.ThrowIfNull(hidden);
        Inputs = inputs;
        Hidden = [.. hidden];
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        var width = inputs;
        for (var i = 0; i < hidden.Count; i++)
        {
            modules.Add(($"linear{i}", Linear(width, hidden[i])));
            modules.Add(($"relu{i}", ReLU()));
            if (dropout > 0)
            {
                modules.Add(($"dropout{i}", Dropout(dropout)));
            }

            width = hidden[i];
        }

        modules.Add(("output", Linear(width, 1)));
        _layers = Sequential(modules);
        RegisterComponents();
    }

    public int Inputs { get; }

    public int[] Hidden { get; }

    public override Tensor forward(Tensor input) => _layers.forward(input).squeeze(-1);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
