using QuantPipeline.Core.Backtest;

namespace QuantPipeline.Benchmarks;

/// <summary>The W2 panels: seeded normal returns (2 % daily vol) and a signal that carries a little of the next return.</summary>
internal static class W2Data
{
    public static BacktestInputs Create(int n, int t)
    {
        var rng = new Random(42);
        var signal = new float[t * n];
        var returns = new float[t * n];
        for (var k = 0; k < signal.Length; k++)
        {
            // Box–Muller normals.
            var z1 = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            var z2 = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            returns[k] = (float)(0.02 * z1);
            signal[k] = (float)z2;
        }

        // Row i of the returns is the move from bar i − 1 to i; the signal at bar i sees a little of row i + 1.
        for (var i = 0; i + 1 < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                signal[i * n + j] += 2f * returns[(i + 1) * n + j];
            }
        }

        return new BacktestInputs(signal, returns, t, n);
    }
}
