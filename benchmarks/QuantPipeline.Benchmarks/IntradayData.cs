namespace QuantPipeline.Benchmarks;

/// <summary>
/// The <c>intraday-3000</c> shape of BENCHMARKS.md W1: N = 3,000 symbols × T = 8,190 one-minute bars (21 sessions × 390),
/// time-major float32, seeded geometric random walks for close and uniform noise for volume. The pandas peer
/// (benchmarks/peers/pandas_w1.py) builds the same shape with its own generator.
/// </summary>
public static class IntradayData
{
    public const int Symbols = 3000;
    public const int Bars = 8190;

    public static (float[] Close, float[] Volume) Generate(int t = Bars, int n = Symbols, int seed = 42)
    {
        var close = new float[t * n];
        var volume = new float[t * n];
        var rng = new Random(seed);
        var level = new double[n];
        Array.Fill(level, 100.0);
        for (var i = 0; i < t; i++)
        {
            for (var j = 0; j < n; j++)
            {
                level[j] *= 1 + 0.002 * (rng.NextDouble() - 0.5);
                close[i * n + j] = (float)level[j];
                volume[i * n + j] = (float)(1_000 + 500 * rng.NextDouble());
            }
        }

        return (close, volume);
    }
}
