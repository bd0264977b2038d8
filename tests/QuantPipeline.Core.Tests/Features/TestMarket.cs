namespace QuantPipeline.Core.Tests.Features;

/// <summary>Seeded daily OHLCV + vwap random walks, time-major, with a few missing bars (suspensions).</summary>
internal sealed class TestMarket
{
    public static readonly string[] FieldNames = ["open", "high", "low", "close", "volume", "vwap"];

    private TestMarket(int t, int n, Dictionary<string, float[]> fields, DateTime[] timestamps)
    {
        T = t;
        N = n;
        Fields = fields;
        Timestamps = timestamps;
    }

    public int T { get; }

    public int N { get; }

    public Dictionary<string, float[]> Fields { get; }

    public DateTime[] Timestamps { get; }

    public static TestMarket Create(int t, int n, int seed, bool withGaps = true)
    {
        var random = new Random(seed);
        var fields = FieldNames.ToDictionary(f => f, _ => new float[t * n]);
        for (var j = 0; j < n; j++)
        {
            var price = 20.0 + 80.0 * random.NextDouble();
            for (var i = 0; i < t; i++)
            {
                var open = price * (1 + 0.01 * Gaussian(random));
                var close = open * (1 + 0.02 * Gaussian(random));
                var high = Math.Max(open, close) * (1 + 0.01 * random.NextDouble());
                var low = Math.Min(open, close) * (1 - 0.01 * random.NextDouble());
                var c = i * n + j;
                fields["open"][c] = (float)open;
                fields["high"][c] = (float)high;
                fields["low"][c] = (float)low;
                fields["close"][c] = (float)close;
                fields["volume"][c] = (float)Math.Round(1e5 * Math.Exp(0.5 * Gaussian(random)));
                fields["vwap"][c] = (float)((open + high + low + close) / 4);
                price = close;
            }
        }

        if (withGaps)
        {
            // A suspended symbol: a few bars with no data at all, so windows must skip NaN while keeping slots.
            for (var i = t / 3; i < t / 3 + 3 && n > 1; i++)
            {
                foreach (var f in FieldNames)
                {
                    fields[f][i * n + 1] = float.NaN;
                }
            }
        }

        var timestamps = Enumerable.Range(0, t).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();
        return new TestMarket(t, n, fields, timestamps);
    }

    public double[] Series(string field, int j)
    {
        var values = Fields[field];
        return Enumerable.Range(0, T).Select(i => (double)values[i * N + j]).ToArray();
    }

    public TestMarket Clone() => new(T, N, Fields.ToDictionary(f => f.Key, f => (float[])f.Value.Clone()), Timestamps);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
