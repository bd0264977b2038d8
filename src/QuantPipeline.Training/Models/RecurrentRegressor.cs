using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace QuantPipeline.Training.Models;

/// <summary>GRU or LSTM over [B, L, F] sequences; the last step's hidden state feeds a linear head.</summary>
public sealed class RecurrentRegressor : Module<Tensor, Tensor>
{
    private readonly GRU? _gru;
    private readonly LSTM? _lstm;
    private readonly Dropout _dropout;
    private readonly Linear _head;

    public RecurrentRegressor(bool lstm, int inputs, int hiddenSize, int layers, double dropout)
        : base(lstm ? "lstm_regressor" : "gru_regressor")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        // Dropout between stacked layers only exists with more than one layer.
        var between = layers > 1 ? dropout : 0.0;
        if (lstm)
        {
            _lstm = LSTM(inputs, hiddenSize, layers, batchFirst: true, dropout: between);
        }
        else
        {
            _gru = GRU(inputs, hiddenSize, layers, batchFirst: true, dropout: between);
        }

        _dropout = Dropout(dropout);
        _head = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var sequence = _gru is not null ? _gru.forward(input).Item1 : _lstm!.forward(input).Item1;
        var last = sequence.select(1, -1);
        return _head.forward(_dropout.forward(last)).squeeze(-1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gru?.Dispose();
            _lstm?.Dispose();
            _dropout.Dispose();
            _head.Dispose();
        }

        base.Dispose(disposing);
    }
}
