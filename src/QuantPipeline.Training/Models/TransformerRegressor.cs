using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Models;

/// <summary>
/// Small transformer encoder over the time axis: per-bar projection to the model width plus a
/// learned position embedding, encoder layers, and a linear head on the last bar's output.
/// </summary>
public sealed class TransformerRegressor : Module<Tensor, Tensor>
{
    private readonly Linear _projection;
    private readonly Parameter _position;
    private readonly TransformerEncoder _encoder;
    private readonly Linear _head;

    public TransformerRegressor(int inputs, int width, int heads, int feedForward, int layers, int sequenceLength, double dropout)
        : base("transformer_regressor")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (heads < 1 || width % heads != 0)
        {
            throw new ArgumentException($"The transformer's width {width} must be a multiple of its {heads} attention heads.");
        }

        _projection = Linear(inputs, width);
        _position = Parameter(randn(sequenceLength, width) * 0.02);
        _encoder = TransformerEncoder(TransformerEncoderLayer(width, heads, feedForward, dropout), layers);
        _head = Linear(width, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var embedded = _projection.forward(input) + _position;
        // The encoder expects [L, B, width].
        var encoded = _encoder.call(embedded.transpose(0, 1));
        return _head.forward(encoded.select(0, -1)).squeeze(-1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _projection.Dispose();
            _position.Dispose();
            _encoder.Dispose();
            _head.Dispose();
        }

        base.Dispose(disposing);
    }
}
