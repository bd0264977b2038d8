using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// The whole alpha158 set (one compiled graph, shared subexpressions) on 3,000 symbols × 2,520 days of daily
/// OHLCV + vwap. Outputs stream to a sink that reads each one, so the 158 × 30 MB results are not all kept; the
/// evaluator's 21 working buffers live in a <see cref="FeatureWorkspace"/> allocated once, as a repeated job keeps them.
/// </summary>
[MemoryDiagnoser]
public class Alpha158Benchmarks
{
    private Dictionary<string, float[]> _fields = [];
    private CompiledFeatureSet _set = null!;
    private readonly FeatureWorkspace _workspace = new();
    private double _checksum;

    [Params(2520)]
    public int T { get; set; }

    [Params(3000)]
    public int N { get; set; }

    [Params("managed", "native")]
    public string Backend { get; set; } = "managed";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(158);
        string[] names = ["open", "high", "low", "close", "volume", "vwap"];
        _fields = names.ToDictionary(n => n, _ => new float[T * N]);
        var price = Enumerable.Range(0, N).Select(_ => 20 + 80 * rng.NextDouble()).ToArray();
        for (var i = 0; i < T; i++)
        {
            for (var j = 0; j < N; j++)
            {
                var open = price[j] * (1 + 0.01 * (rng.NextDouble() - 0.5));
                var close = open * (1 + 0.04 * (rng.NextDouble() - 0.5));
                var high = Math.Max(open, close) * (1 + 0.01 * rng.NextDouble());
                var low = Math.Min(open, close) * (1 - 0.01 * rng.NextDouble());
                var k = i * N + j;
                _fields["open"][k] = (float)open;
                _fields["high"][k] = (float)high;
                _fields["low"][k] = (float)low;
                _fields["close"][k] = (float)close;
                _fields["volume"][k] = (float)(1e5 * (0.5 + rng.NextDouble()));
                _fields["vwap"][k] = (float)((open + high + low + close) / 4);
                price[j] = close;
            }
        }

        _set = QuantPipeline.Core.Features.Library.Alpha158.Create().Compile();
    }

    [Benchmark]
    public double WholeSet()
    {
        _checksum = 0;
        FeatureEvaluator.Evaluate(_set, _fields, T, N, ComputeBackends.Create(Backend), (_, values) => _checksum += values[^1], workspace: _workspace);
        return _checksum;
    }
}
