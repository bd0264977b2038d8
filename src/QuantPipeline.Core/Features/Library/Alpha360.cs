using System.Globalization;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Features.Library;

/// <summary>
/// Qlib's Alpha360-style raw lookback: the last 60 bars of close, open, high, low, vwap divided by today's close,
/// and of volume divided by today's volume (+1e-12), named CLOSE59 … CLOSE0 etc. in Qlib's order.
/// </summary>
public static class Alpha360
{
    public const string Name = "alpha360";

    public const int Bars = 60;

    public static FeatureSet Create() => new(Name, Definitions(), "Qlib Alpha360: 60 bars of normalised OHLCV + vwap.");

    public static IReadOnlyList<FeatureDefinition> Definitions()
    {
        var features = new List<FeatureDefinition>();
        foreach (var field in new[] { "close", "open", "high", "low", "vwap" })
        {
            for (var i = Bars - 1; i >= 0; i--)
            {
                var value = i == 0 ? $"${field}" : $"Ref(${field}, {i.ToString(CultureInfo.InvariantCulture)})";
                features.Add(new(field.ToUpperInvariant() + i.ToString(CultureInfo.InvariantCulture), value + "/$close"));
            }
        }

        for (var i = Bars - 1; i >= 0; i--)
        {
            var value = i == 0 ? "$volume" : $"Ref($volume, {i.ToString(CultureInfo.InvariantCulture)})";
            features.Add(new("VOLUME" + i.ToString(CultureInfo.InvariantCulture), value + "/($volume+1e-12)"));
        }

        return features;
    }
}
