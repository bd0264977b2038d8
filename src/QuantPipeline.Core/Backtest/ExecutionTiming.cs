namespace QuantPipeline.Core.Backtest;

/// <summary>When the trades for a signal observed at the close of bar t are filled.</summary>
public enum ExecutionTiming
{
    /// <summary>At the close of bar t + <see cref="BacktestOptions.DelayBars"/> (1 = the next close).</summary>
    Close,

    /// <summary>At the open of bar t + 1; needs the close-to-open gap returns.</summary>
    NextOpen,
}
