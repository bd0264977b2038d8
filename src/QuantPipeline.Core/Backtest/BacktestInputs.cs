namespace QuantPipeline.Core.Backtest;

/// <summary>
/// Time-major [T, N] panels for a backtest. Row i of <see cref="Returns"/> is the close-to-close return from bar i − 1
/// to bar i (row 0 is unused); NaN means no price at bar i (a delisting or a gap): a position held into such a bar
/// is closed at its last price. Row t of <see cref="Signal"/> is known at the close of bar t.
/// </summary>
public sealed record BacktestInputs(float[] Signal, float[] Returns, int T, int N)
{
    /// <summary>Row i: the close-to-open return from bar i − 1 to the open of bar i (needed for next-open execution).</summary>
    public float[]? OpenGap { get; init; }

    /// <summary>Row i: average daily traded value of each name as of bar i (for the square-root impact).</summary>
    public float[]? AverageDollarVolume { get; init; }

    /// <summary>Row i: half-spread in basis points for each name at bar i (overrides the scalar option; NaN falls back to it).</summary>
    public float[]? HalfSpreadBps { get; init; }

    public void Validate(BacktestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cells = (long)T * N;
        if (T < 1 || N < 1)
        {
            throw new ArgumentException($"A backtest needs at least one bar and one name, got {T}×{N}.");
        }

        Check(Signal, "signal");
        Check(Returns, "returns");
        Check(OpenGap, "open gap");
        Check(AverageDollarVolume, "average dollar volume");
        Check(HalfSpreadBps, "half-spread");
        if (options.Execution == ExecutionTiming.NextOpen && OpenGap is null)
        {
            throw new ArgumentException("Next-open execution needs the close-to-open gap returns (OpenGap).");
        }

        void Check(float[]? panel, string name)
        {
            if (panel is not null && panel.Length != cells)
            {
                throw new ArgumentException($"The {name} panel holds {panel.Length} values; {T} bars × {N} names need {cells}.");
            }
        }
    }
}
