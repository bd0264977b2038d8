namespace QuantPipeline.Core.Validation;

/// <summary>Walk-forward windows, counted in sessions of the exchange calendar.</summary>
public sealed record WalkForwardOptions
{
    /// <summary>Sessions of training before the validation window (756 = three years); with <see cref="Expanding"/>, the minimum.</summary>
    public int TrainingSessions { get; init; } = 756;

    /// <summary>Sessions of validation just before each retrain date (252 = one year).</summary>
    public int ValidationSessions { get; init; } = 252;

    /// <summary>Expanding: training starts at the first session. Sliding (default): the last <see cref="TrainingSessions"/> only.</summary>
    public bool Expanding { get; init; }

    /// <summary>Sessions after each held-out block whose samples may not be trained on.</summary>
    public int EmbargoSessions { get; init; }
}
