namespace QuantPipeline.Training.Models;

public enum ModelKind
{
    /// <summary>Linear model fitted in closed form (ridge, intercept not penalised).</summary>
    Ridge,
    Mlp,
    Gru,
    Lstm,

    /// <summary>Transformer encoder over the time axis of a sequence.</summary>
    Transformer,
}

/// <summary>Architecture of a model: enough to rebuild it before loading its weights.</summary>
public sealed record ModelSpec
{
    public ModelKind Kind { get; init; } = ModelKind.Mlp;

    /// <summary>MLP hidden layer widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    /// <summary>Hidden state of GRU/LSTM, model width of the transformer.</summary>
    public int HiddenSize { get; init; } = 32;

    public int Layers { get; init; } = 1;

    /// <summary>Attention heads (transformer); must divide <see cref="HiddenSize"/>.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Width of the transformer's feed-forward block.</summary>
    public int FeedForward { get; init; } = 64;

    public double Dropout { get; init; }

    /// <summary>Past bars per sample, the current one included; 1 for ridge and MLP.</summary>
    public int SequenceLength { get; init; } = 1;

    /// <summary>Ridge penalty λ on the centred normal equations (X'X + λI)w = X'y.</summary>
    public double RidgeLambda { get; init; } = 1.0;

    public bool IsSequenceModel => Kind is ModelKind.Gru or ModelKind.Lstm or ModelKind.Transformer;
}
