using QuantPipeline.Core.Panels;

namespace QuantPipeline.Cluster.Tests;

/// <summary>Seeded [t, n] bar fields (a random walk with gaps) and a backtest input panel.</summary>
public static class MarketData
{
    public static Dictionary<string, float[]> Bars(int t, int n, int seed)
    {
        var random = new Random(seed);
        var close = new float[t * n];
        var volume = new float[t * n];
        for (var j = 0; j < n; j++)
        {
            var price = 20.0 + j;
            for (var i = 0; i < t; i++)
            {
                price *= Math.Exp(0.02 * (random.NextDouble() - 0.5));
                close[i * n + j] = random.NextDouble() < 0.02 ? float.NaN : (float)price;
                volume[i * n + j] = (float)(1e5 * (1 + random.NextDouble()));
            }
        }

        return new Dictionary<string, float[]>(StringComparer.Ordinal) { ["close"] = close, ["volume"] = volume };
    }

    public static IReadOnlyList<DateTime> Days(int t) => Enumerable.Range(0, t).Select(i => new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i)).ToList();

    public static IReadOnlyList<string> Symbols(int n) => Enumerable.Range(0, n).Select(j => $"S{j:D3}").ToList();

    /// <summary>A signal with some skill (it leads the returns by one bar plus noise) and the returns.</summary>
    public static Panel BacktestPanel(int t, int n, int seed)
    {
        var random = new Random(seed);
        var returns = new float[t * n];
        var signal = new float[t * n];
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                returns[i * n + j] = (float)(0.02 * (random.NextDouble() - 0.5));
            }
        }

        for (var i = 0; i + 1 < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                signal[i * n + j] = returns[(i + 1) * n + j] + (float)(0.03 * (random.NextDouble() - 0.5));
            }
        }

        var panel = new Panel(Days(t), Symbols(n));
        panel.SetField("signal", signal);
        panel.SetField("returns", returns);
        return panel;
    }
}
