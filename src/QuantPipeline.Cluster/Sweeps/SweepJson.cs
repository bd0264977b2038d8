using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantPipeline.Cluster.Sweeps;

/// <summary>JSON for sweep payloads and results: doubles round-trip exactly, and ∞ / NaN (an uncapped weight, an undefined Sharpe) are allowed.</summary>
public static class SweepJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
