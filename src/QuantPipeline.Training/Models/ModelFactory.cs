using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Models;

public static class ModelFactory
{
    /// <summary>A freshly initialised model (from the current torch seed) for the spec and feature count.</summary>
    public static Module<Tensor, Tensor> Create(ModelSpec spec, int features)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.IsSequenceModel && spec.SequenceLength != 1)
        {
            throw new ArgumentException($"{spec.Kind} models read one bar per sample; set SequenceLength to 1 (got {spec.SequenceLength}).");
        }

        return spec.Kind switch
        {
            ModelKind.Ridge => new LinearRegressor(features),
            ModelKind.Mlp => new MlpRegressor(features, spec.Hidden, spec.Dropout),
            ModelKind.Gru => new RecurrentRegressor(false, features, spec.HiddenSize, spec.Layers, spec.Dropout),
            ModelKind.Lstm => new RecurrentRegressor(true, features, spec.HiddenSize, spec.Layers, spec.Dropout),
            ModelKind.Transformer => new TransformerRegressor(features, spec.HiddenSize, spec.Heads, spec.FeedForward, spec.Layers, spec.SequenceLength, spec.Dropout),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown model kind."),
        };
    }
}
