using QuantPipeline.Core.Data;

namespace QuantPipeline.Core.Synthetic;

/// <summary>A change of market regime from a date on: returns scaled by a volatility multiplier, volumes by a volume multiplier.</summary>
public sealed record RegimeChangeOptions
{
    /// <summary>First session of the new regime.</summary>
    public required DateOnly From { get; init; }

    public double VolatilityMultiplier { get; init; } = 3.0;

    public double VolumeMultiplier { get; init; } = 0.3;
}

/// <summary>
/// Injects a regime change into a bar stream (such as the synthetic market's): from the change date each symbol's
/// open, high, low and close returns relative to the previous close are multiplied by the volatility multiplier and
/// compounded on the transformed price path; volume is multiplied. Bars before the date pass through unchanged.
/// The mapping is monotone in price, so high ≥ max(open, close) ≥ min(open, close) ≥ low still holds.
/// </summary>
public static class RegimeChange
{
    /// <summary>A move can lose at most 95 % of the price, so prices stay positive whatever the multiplier.</summary>
    private const double FloorRelative = 0.05;

    public static IEnumerable<Bar> Apply(IEnumerable<Bar> bars, RegimeChangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.VolatilityMultiplier);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.VolumeMultiplier);
        return Iterate(bars, options);
    }

    private static IEnumerable<Bar> Iterate(IEnumerable<Bar> bars, RegimeChangeOptions options)
    {
        var originalClose = new Dictionary<string, double>(StringComparer.Ordinal);
        var shiftedClose = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var bar in bars)
        {
            if (DateOnly.FromDateTime(bar.Timestamp) < options.From || !originalClose.TryGetValue(bar.Symbol, out var previous))
            {
                originalClose[bar.Symbol] = bar.Close;
                shiftedClose[bar.Symbol] = bar.Close;
                yield return bar;
                continue;
            }

            var anchor = shiftedClose[bar.Symbol];
            double Map(double price) => anchor * Math.Max(FloorRelative, 1 + options.VolatilityMultiplier * (price / previous - 1));
            var shifted = bar with
            {
                Open = Round(Map(bar.Open)),
                High = Round(Map(bar.High)),
                Low = Round(Map(bar.Low)),
                Close = Round(Map(bar.Close)),
                Volume = Math.Round(bar.Volume * options.VolumeMultiplier),
            };
            originalClose[bar.Symbol] = bar.Close;
            shiftedClose[bar.Symbol] = shifted.Close;
            yield return shifted;
        }
    }

    private static double Round(double price) => Math.Round(price, 4);
}
