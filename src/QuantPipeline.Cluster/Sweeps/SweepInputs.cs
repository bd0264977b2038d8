using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Panels;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>Backtest inputs as a panel: the form they travel in to silos and the form <c>qp sweep --inputs</c> reads.</summary>
public static class SweepInputs
{
    public const string Signal = "signal";
    public const string Returns = "returns";
    public const string OpenGap = "open_gap";
    public const string AverageDollarVolume = "adv";
    public const string HalfSpreadBps = "half_spread_bps";

    public static BacktestInputs FromPanel(Panel panel, string source)
    {
        ArgumentNullException.ThrowIfNull(panel);
        foreach (var required in new[] { Signal, Returns })
        {
            if (!panel.HasField(required))
            {
                throw new InvalidDataException($"{source}: the panel has no '{required}' field (fields: {string.Join(", ", panel.FieldNames)}); a sweep needs '{Signal}' and '{Returns}'.");
            }
        }

        return new BacktestInputs(panel.Field(Signal), panel.Field(Returns), panel.T, panel.N)
        {
            OpenGap = panel.HasField(OpenGap) ? panel.Field(OpenGap) : null,
            AverageDollarVolume = panel.HasField(AverageDollarVolume) ? panel.Field(AverageDollarVolume) : null,
            HalfSpreadBps = panel.HasField(HalfSpreadBps) ? panel.Field(HalfSpreadBps) : null,
        };
    }
}
