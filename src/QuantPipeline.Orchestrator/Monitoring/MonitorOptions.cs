using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Windows and bounds of one monitoring run.</summary>
public sealed record MonitorOptions
{
    /// <summary>Sessions ending at the as-of whose features and predictions are compared with the reference.</summary>
    public int DriftWindowSessions { get; init; } = 21;

    /// <summary>Labelled sessions (ending the session before the as-of) over which realised IC and PnL are computed.</summary>
    public int DecayHistorySessions { get; init; } = 63;

    /// <summary>Window of the rolling IC and rolling Sharpe.</summary>
    public int RollingWindowSessions { get; init; } = 21;

    /// <summary>A rolling IC below this raises a decay warning.</summary>
    public double MinRollingIc { get; init; }

    /// <summary>A rolling Sharpe (annualised ×252) below this raises a decay warning.</summary>
    public double MinRollingSharpe { get; init; }

    /// <summary>
    /// CUSUM slack k and threshold h, in standard deviations of the validation daily IC. h = 8σ keeps false alarms
    /// rare over a year of sessions (with h = 5σ, a common textbook choice, a steady series alarms falsely about once in 1,000 sessions).
    /// </summary>
    public double CusumSlackSigmas { get; init; } = 0.5;

    public double CusumThresholdSigmas { get; init; } = 8.0;

    /// <summary>Page–Hinkley tolerance δ and threshold λ, in standard deviations of the validation daily IC.</summary>
    public double PageHinkleyDeltaSigmas { get; init; } = 0.5;

    public double PageHinkleyLambdaSigmas { get; init; } = 8.0;

    public DriftThresholds Drift { get; init; } = new();

    public DataQualityThresholds DataQuality { get; init; } = new();

    /// <summary>Sessions the market was expected to trade (a calendar's sessions); weekdays when null.</summary>
    public IReadOnlyList<DateOnly>? ExpectedSessions { get; init; }

    public void Validate()
    {
        var problems = new List<string>();
        if (DriftWindowSessions < 5)
        {
            problems.Add($"the drift window must hold at least 5 sessions, got {DriftWindowSessions}");
        }

        if (RollingWindowSessions < 5)
        {
            problems.Add($"the rolling window must hold at least 5 sessions, got {RollingWindowSessions}");
        }

        if (DecayHistorySessions < RollingWindowSessions)
        {
            problems.Add($"the decay history ({DecayHistorySessions} sessions) must be at least the rolling window ({RollingWindowSessions})");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid monitoring options: " + string.Join("; ", problems) + ".");
        }
    }
}
