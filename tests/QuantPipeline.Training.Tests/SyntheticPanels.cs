using QuantPipeline.Training.Data;

namespace QuantPipeline.Training.Tests;

/// <summary>Small panels with known structure for training tests.</summary>
internal static class SyntheticPanels
{
    public static DateTime[] Dates(int t) => Enumerable.Range(0, t).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();

    public static string[] Symbols(int n) => Enumerable.Range(0, n).Select(i => $"S{i:D3}").ToArray();

    /// <summary>Label = 1.5·f0 − f1 + 0.4·f0·f2 + noise on the same bar; features standard normal-ish.</summary>
    public static TrainingPanels CrossSectional(int t, int n, int seed, double noise = 0.1)
    {
        var rng = new Random(seed);
        var f = new float[3][];
        for (var k = 0; k < 3; k++)
        {
            f[k] = new float[t * n];
        }

        var y = new float[t * n];
        for (var i = 0; i < t * n; i++)
        {
            for (var k = 0; k < 3; k++)
            {
                f[k][i] = (float)Gaussian(rng);
            }

            y[i] = (float)(1.5 * f[0][i] - f[1][i] + 0.4 * f[0][i] * f[2][i] + noise * Gaussian(rng));
        }

        var member = Enumerable.Repeat(true, t * n).ToArray();
        return new TrainingPanels(Dates(t), Symbols(n), ["a", "b", "c"], f, y, member);
    }

    /// <summary>
    /// Label on each bar = mean of the signal feature over the last <paramref name="window"/> bars of that
    /// symbol (+ small noise); a one-bar model sees only a fraction of it, a sequence model all of it.
    /// </summary>
    public static TrainingPanels Sequential(int t, int n, int window, int seed)
    {
        var rng = new Random(seed);
        var signal = new float[t * n];
        var distractor = new float[t * n];
        var y = new float[t * n];
        for (var i = 0; i < t * n; i++)
        {
            signal[i] = (float)Gaussian(rng);
            distractor[i] = (float)Gaussian(rng);
        }

        for (var d = 0; d < t; d++)
        {
            for (var s = 0; s < n; s++)
            {
                if (d < window - 1)
                {
                    y[d * n + s] = float.NaN;
                    continue;
                }

                double sum = 0;
                for (var k = 0; k < window; k++)
                {
                    sum += signal[(d - k) * n + s];
                }

                y[d * n + s] = (float)(sum / Math.Sqrt(window) + 0.05 * Gaussian(rng));
            }
        }

        var member = Enumerable.Repeat(true, t * n).ToArray();
        return new TrainingPanels(Dates(t), Symbols(n), ["signal", "distractor"], [signal, distractor], y, member);
    }

    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    public static double Variance(IEnumerable<float> values)
    {
        var v = values.Select(x => (double)x).ToArray();
        var mean = v.Average();
        return v.Select(x => (x - mean) * (x - mean)).Average();
    }

    public static double Mse(float[] predictions, float[] labels) =>
        predictions.Zip(labels, (p, y) => (p - (double)y) * (p - (double)y)).Average();
}
