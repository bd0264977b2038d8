using QuantPipeline.Core.Panels;

namespace QuantPipeline.Core.Monitoring;

/// <summary>Bounds of the data-quality monitors.</summary>
public sealed record DataQualityThresholds
{
    /// <summary>A session where more than this share of the symbols have a NaN in a field is a NaN burst.</summary>
    public double MaxNanShare { get; init; } = 0.2;

    /// <summary>A close-to-close move larger than this (0.4 = 40 %) in absolute value is a price jump.</summary>
    public double MaxAbsReturn { get; init; } = 0.4;

    /// <summary>Universe shrinkage alarm: the last session's symbol count below (1 − this) × the window's largest count.</summary>
    public double MaxUniverseShrink { get; init; } = 0.1;
}

public sealed record NanBurst(DateOnly Session, string Field, int Missing, int Symbols);

public sealed record PriceJump(DateOnly Session, string Symbol, double Return);

/// <summary>What the data-quality monitors found in a window of sessions.</summary>
/// <param name="MissingSessions">Expected sessions in the window with no bar at all.</param>
/// <param name="LastExpected">The last expected session at or before the as-of.</param>
/// <param name="LastObserved">The last session with data; older than <paramref name="LastExpected"/> means the data are stale.</param>
/// <param name="UniverseSize">Symbols with a close on the last observed session.</param>
/// <param name="UniversePeak">Largest such count over the window.</param>
public sealed record DataQualityReport(
    IReadOnlyList<DateOnly> MissingSessions,
    DateOnly? LastExpected,
    DateOnly? LastObserved,
    int UniverseSize,
    int UniversePeak,
    bool UniverseShrunk,
    IReadOnlyList<NanBurst> NanBursts,
    IReadOnlyList<PriceJump> PriceJumps)
{
    public bool Stale => LastExpected is { } expected && (LastObserved is null || LastObserved < expected);
}

/// <summary>
/// Stale data (expected sessions without bars, from a list of session dates such as a market calendar gives),
/// universe shrinkage, NaN bursts and price jumps beyond a bound, over the sessions of a panel inside [from, asOf].
/// </summary>
public static class DataQuality
{
    public static DataQualityReport Check(Panel panel, IReadOnlyList<DateOnly> expectedSessions, DateOnly from, DateOnly asOf, IReadOnlyList<string> fields, DataQualityThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(expectedSessions);
        ArgumentNullException.ThrowIfNull(fields);
        thresholds ??= new DataQualityThresholds();
        int n = panel.N;
        var dates = panel.Timestamps.Select(DateOnly.FromDateTime).ToArray();
        var observed = new HashSet<DateOnly>(dates);
        var expected = expectedSessions.Where(d => d >= from && d <= asOf).OrderBy(d => d).ToList();
        var missing = expected.Where(d => !observed.Contains(d)).ToList();

        var close = panel.Field("close");
        var rows = Enumerable.Range(0, panel.T).Where(i => dates[i] >= from && dates[i] <= asOf).ToList();
        var bursts = new List<NanBurst>();
        var jumps = new List<PriceJump>();
        int peak = 0, last = 0;
        foreach (var i in rows)
        {
            var present = 0;
            for (var j = 0; j < n; j++)
            {
                if (float.IsFinite(close[i * n + j]))
                {
                    present++;
                }
            }

            peak = Math.Max(peak, present);
            last = present;
            foreach (var field in fields)
            {
                var values = panel.Field(field);
                var nan = 0;
                for (var j = 0; j < n; j++)
                {
                    if (!float.IsFinite(values[i * n + j]))
                    {
                        nan++;
                    }
                }

                if (n > 0 && (double)nan / n > thresholds.MaxNanShare)
                {
                    bursts.Add(new NanBurst(dates[i], field, nan, n));
                }
            }

            if (i == 0)
            {
                continue;
            }

            for (var j = 0; j < n; j++)
            {
                double previous = close[(i - 1) * n + j], current = close[i * n + j];
                if (double.IsFinite(previous) && double.IsFinite(current) && previous > 0)
                {
                    var r = current / previous - 1;
                    if (Math.Abs(r) > thresholds.MaxAbsReturn)
                    {
                        jumps.Add(new PriceJump(dates[i], panel.Symbols[j], r));
                    }
                }
            }
        }

        return new DataQualityReport(
            missing,
            expected.Count > 0 ? expected[^1] : null,
            rows.Count > 0 ? dates[rows[^1]] : null,
            last,
            peak,
            peak > 0 && last < (1 - thresholds.MaxUniverseShrink) * peak,
            bursts,
            jumps);
    }
}
