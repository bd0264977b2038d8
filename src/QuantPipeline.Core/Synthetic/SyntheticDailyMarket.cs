using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Data;

namespace QuantPipeline.Core.Synthetic;

/// <summary>Parameters of the synthetic daily market.</summary>
public sealed record SyntheticMarketOptions
{
    public int Symbols { get; init; } = 50;

    public DateOnly From { get; init; } = new(2021, 1, 4);

    public DateOnly To { get; init; } = new(2023, 12, 29);

    public int Seed { get; init; } = 42;

    /// <summary>Strength of the embedded short-term reversal: next-day expected return = −k × (5-day return, demeaned across symbols).</summary>
    public double ReversalStrength { get; init; } = 0.03;
}

/// <summary>
/// Seeded synthetic daily bars: a market factor with per-symbol betas, GARCH(1,1) idiosyncratic volatility
/// with Student-t (5 d.o.f.) shocks, so returns are fat-tailed and volatility clusters, plus a weak
/// cross-sectional short-term reversal that a model can learn. Weekday sessions.
/// </summary>
public static class SyntheticDailyMarket
{
    public static IEnumerable<Bar> Generate(SyntheticMarketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Symbols < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "At least one symbol is needed.");
        }

        var rng = new Random(options.Seed);
        var sessions = WeekdayCalendar.Sessions(options.From, options.To);
        var n = options.Symbols;
        var symbols = SymbolNames(n);
        var beta = new double[n];
        var close = new double[n];
        var variance = new double[n];
        var baseVolume = new double[n];
        var history = new Queue<double[]>();
        for (var j = 0; j < n; j++)
        {
            beta[j] = 0.6 + 0.8 * rng.NextDouble();
            close[j] = 20 + 180 * rng.NextDouble();
            variance[j] = Math.Pow(0.015 + 0.01 * rng.NextDouble(), 2);
            baseVolume[j] = 2e5 + 3e6 * rng.NextDouble();
        }

        var pastFive = new double[n];
        foreach (var session in sessions)
        {
            var market = 0.0002 + 0.009 * RandomDraws.StudentT(rng, 5);
            var meanPast = pastFive.Average();
            var returns = new double[n];
            for (var j = 0; j < n; j++)
            {
                var shock = RandomDraws.StudentT(rng, 5);
                var idio = Math.Sqrt(variance[j]) * shock;
                var alpha = -options.ReversalStrength * (pastFive[j] - meanPast);
                returns[j] = Math.Clamp(beta[j] * market + idio + alpha, -0.5, 0.5);
                // GARCH(1,1): long-run daily vol about 2 %.
                variance[j] = 0.000004 + 0.08 * idio * idio + 0.91 * variance[j];
            }

            history.Enqueue(returns);
            if (history.Count > 5)
            {
                history.Dequeue();
            }

            Array.Clear(pastFive);
            foreach (var day in history)
            {
                for (var j = 0; j < n; j++)
                {
                    pastFive[j] += day[j];
                }
            }

            var date = session.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            for (var j = 0; j < n; j++)
            {
                var previous = close[j];
                var next = previous * (1 + returns[j]);
                var open = previous * (1 + 0.3 * returns[j] + 0.002 * RandomDraws.Normal(rng));
                var high = Math.Max(open, next) * (1 + Math.Abs(0.006 * RandomDraws.Normal(rng)));
                var low = Math.Min(open, next) * (1 - Math.Abs(0.006 * RandomDraws.Normal(rng)));
                var volume = Math.Round(baseVolume[j] * Math.Exp(0.3 * RandomDraws.Normal(rng)) * (1 + 20 * Math.Abs(returns[j])));
                close[j] = next;
                yield return new Bar(symbols[j], date, Round(open), Round(high), Round(low), Round(next), volume);
            }
        }
    }

    public static string[] SymbolNames(int count)
    {
        var names = new string[count];
        for (var j = 0; j < count; j++)
        {
            names[j] = $"SYN{j:D4}";
        }

        return names;
    }

    private static double Round(double price) => Math.Round(price, 4);
}
