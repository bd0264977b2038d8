using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Training;

/// <summary>A trained model (on CPU, in eval mode) with its card.</summary>
public sealed class TrainedModel(Module<Tensor, Tensor> model, ModelCard card) : IDisposable
{
    public Module<Tensor, Tensor> Model { get; } = model;

    public ModelCard Card { get; } = card;

    public void Dispose() => Model.Dispose();
}
