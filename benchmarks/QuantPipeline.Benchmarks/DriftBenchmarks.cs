using BenchmarkDotNet.Attributes;
using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Benchmarks;

/// <summary>
/// Drift of F features (PSI, KS, Jensen–Shannon, missing rate) for a 21-session window of 3,001 symbols against
/// references sketched from a 756-session training window: all features in one call, against one feature at a time,
/// and the batched kernels on one [features × samples] block (no sort of the current window).
/// </summary>
[MemoryDiagnoser]
public class DriftBenchmarks
{
    private FeatureReference[] _references = [];
    private float[][] _current = [];
    private float[] _block = [];

    [Params(6, 63)]
    public int Features { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int symbols = 3001;
        var rng = new Random(42);
        _references = new FeatureReference[Features];
        _current = new float[Features][];
        for (var f = 0; f < Features; f++)
        {
            var reference = new float[756 * symbols];
            for (var k = 0; k < reference.Length; k++)
            {
                reference[k] = (float)(rng.NextDouble() + rng.NextDouble());
            }

            _references[f] = FeatureReference.Build($"f{f}", reference);
            _current[f] = new float[21 * symbols];
            for (var k = 0; k < _current[f].Length; k++)
            {
                _current[f][k] = (float)(rng.NextDouble() + rng.NextDouble() + 0.1);
            }
        }

        _block = [.. _current.SelectMany(c => c)];
    }

    [Benchmark(Baseline = true)]
    public double OneFeatureAtATime()
    {
        var thresholds = new DriftThresholds();
        double sum = 0;
        for (var f = 0; f < Features; f++)
        {
            sum += DriftCalculator.Compute(_references[f], _current[f], thresholds).Psi;
        }

        return sum;
    }

    [Benchmark]
    public double AllFeatures() => DriftCalculator.Compute(_references, _current).Sum(d => d.Psi);

    [Benchmark]
    public double BatchedKernels() => DriftKernels.Compute(_references, _block, 21 * 3001).Sum(d => d.Psi);
}
