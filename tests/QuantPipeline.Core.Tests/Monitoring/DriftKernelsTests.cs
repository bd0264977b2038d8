using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Core.Tests.Monitoring;

public class DriftKernelsTests
{
    private const int Samples = 1037; // not a multiple of any vector width, so the scalar remainder is exercised

    [Fact]
    public void Batched_figures_equal_the_per_feature_calculator_for_every_feature()
    {
        var (references, columns) = Features(new Random(5));
        var expected = DriftCalculator.Compute(references, columns);
        var actual = DriftKernels.Compute(references, Block(columns), Samples);
        Assert.Equal(expected.Length, actual.Length);
        for (var f = 0; f < expected.Length; f++)
        {
            // Same counts and the same arithmetic: the figures agree to the last bit, NaN for the empty feature included.
            Assert.Equal(expected[f], actual[f]);
        }

        Assert.Equal(0, actual[^1].CurrentCount);
        Assert.True(double.IsNaN(actual[^1].Psi));
        Assert.Equal(1.0, actual[^1].CurrentMissingRate);
    }

    [Fact]
    public void Batched_figures_match_independent_float64_references()
    {
        var (references, columns) = Features(new Random(9));
        var figures = DriftKernels.Compute(references, Block(columns), Samples);
        for (var f = 0; f < references.Count - 1; f++)
        {
            var reference = references[f];
            var finite = columns[f].Where(float.IsFinite).Select(x => (double)x).ToArray();
            var edges = reference.Edges;

            // Bins by plain comparisons: bin b holds edges[b−1] < x ≤ edges[b]; proportions floored at 1e-4 in PSI.
            var proportions = new double[edges.Length + 1];
            foreach (var x in finite)
            {
                var bin = 0;
                while (bin < edges.Length && x > edges[bin])
                {
                    bin++;
                }

                proportions[bin] += 1.0 / finite.Length;
            }

            double psi = 0;
            for (var b = 0; b < proportions.Length; b++)
            {
                double r = Math.Max(reference.Proportions[b], 1e-4), c = Math.Max(proportions[b], 1e-4);
                psi += (c - r) * Math.Log(c / r);
            }

            var d = Float64Reference.KsStatistic(reference.Sketch, finite);
            var lambda = Math.Sqrt((double)reference.Count * finite.Length / (reference.Count + finite.Length)) * d;
            var name = reference.Name;
            Assert.Equal(finite.Length, figures[f].CurrentCount);
            Assert.True(Math.Abs(psi - figures[f].Psi) < 1e-9, $"{name}: PSI {figures[f].Psi} against {psi}");
            Assert.True(Math.Abs(d - figures[f].KsStatistic) < 1e-12, $"{name}: D {figures[f].KsStatistic} against {d}");
            Assert.True(Math.Abs(Float64Reference.KolmogorovSurvival(lambda) - figures[f].KsPValue) < 1e-9, $"{name}: p {figures[f].KsPValue} at λ {lambda}");
            Assert.True(Math.Abs(Float64Reference.JensenShannonBase2(reference.Proportions, proportions) - figures[f].JsDistance) < 1e-9, $"{name}: JS");
            Assert.Equal(1.0 - (double)finite.Length / Samples, figures[f].CurrentMissingRate, 12);
            Assert.Equal(figures[f].CurrentMissingRate - reference.MissingRate, figures[f].MissingRateChange, 12);
        }

        // The shifted feature drifts on every measure; the unchanged one does not.
        Assert.True(figures[1].Psi > 0.2 && figures[1].KsPValue < 1e-6 && figures[1].JsDistance > 0.1, $"{figures[1]}");
        Assert.True(figures[0].Psi < 0.05 && figures[0].KsPValue > 1e-3, $"{figures[0]}");
    }

    [Fact]
    public void The_counting_pass_matches_double_comparisons_at_every_length()
    {
        // Edges that are not floats (0.1), float values on both sides of them, ties at the edge, signed zeros, ±∞, NaN.
        double[] edges = [-1.5, -0.0, 0.1, 0.1, 2.0];
        float[] pool = [-1.5f, -1.5000001f, 0f, -0f, 0.1f, MathF.BitDecrement(0.1f), 2f, 2.0000002f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 1e-30f];
        Span<float> limits = stackalloc float[edges.Length];
        DriftKernels.FloatLimits(edges, limits);
        var rng = new Random(3);
        for (var length = 0; length <= 80; length++)
        {
            var values = Enumerable.Range(0, length).Select(_ => pool[rng.Next(pool.Length)]).ToArray();
            var counts = new int[edges.Length];
            var finite = DriftKernels.CountAtOrBelow(values, limits, counts);
            Assert.Equal(values.Count(float.IsFinite), finite);
            for (var b = 0; b < edges.Length; b++)
            {
                Assert.Equal(values.Count(x => float.IsFinite(x) && (double)x <= edges[b]), counts[b]);
            }
        }
    }

    [Fact]
    public void Ks_statistic_without_sorting_equals_the_merge_of_both_sorted_samples_with_ties()
    {
        var rng = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            // Small integer-valued samples tie often, within and across the samples; every other trial has long
            // runs of equal reference values (a discrete feature).
            var levels = trial % 2 == 0 ? 8 : 2;
            var reference = Enumerable.Range(0, rng.Next(1, 60)).Select(_ => (double)rng.Next(0, levels)).Order().ToArray();
            var current = Enumerable.Range(0, rng.Next(1, 40)).Select(_ => rng.Next(10) == 0 ? float.NaN : rng.Next(-1, 10)).ToArray();
            var finite = current.Where(float.IsFinite).Select(x => (double)x).ToArray();
            var d = DriftKernels.KsStatistic(reference, current, finite.Length);
            if (finite.Length == 0)
            {
                Assert.True(double.IsNaN(d));
                continue;
            }

            Assert.Equal(KolmogorovSmirnov.Statistic(reference, [.. finite.Order()]), d);
            Assert.Equal(Float64Reference.KsStatistic(reference, finite), d, 12);
        }
    }

    [Fact]
    public void Rolling_psi_is_the_psi_of_each_trailing_window_and_nan_before_the_first()
    {
        const int rows = 40, width = 33, window = 7;
        var rng = new Random(17);
        var reference = FeatureReference.Build("x", Float64Reference.Normal(rng, 2000, 0, 1).Select(v => (float)v).ToArray());
        // The field drifts upwards over time and has a few missing cells; rows 20–26 are entirely missing.
        var field = new float[rows * width];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < width; c++)
            {
                field[r * width + c] = r is >= 20 and <= 26 || rng.Next(20) == 0 ? float.NaN : (float)(Float64Reference.Normal(rng, 1, 0.05 * r, 1)[0]);
            }
        }

        var psi = DriftKernels.RollingPsi([reference, reference], Block([field, field]), rows, width, window);
        Assert.Equal(psi[0], psi[1]);
        for (var end = 0; end < rows; end++)
        {
            if (end < window - 1)
            {
                Assert.True(double.IsNaN(psi[0][end]));
                continue;
            }

            var slice = field.AsSpan((end - window + 1) * width, window * width);
            var expected = slice.ToArray().Any(float.IsFinite) ? PopulationStability.Psi(reference.Proportions, PopulationStability.Proportions(slice, reference.Edges)) : double.NaN;
            Assert.Equal(expected, psi[0][end], 12);
        }

        Assert.True(double.IsNaN(psi[0][26]));
        Assert.True(psi[0][^1] > psi[0][window - 1], "the upward drift raises the PSI");
    }

    [Fact]
    public void A_block_of_the_wrong_size_is_rejected_with_the_sizes()
    {
        var reference = FeatureReference.Build("x", [1f, 2f, 3f, 4f]);
        var e = Assert.Throws<ArgumentException>(() => DriftKernels.Compute([reference, reference], new float[7], 4));
        Assert.Contains("2 features × 4 samples need 8", e.Message);
    }

    /// <summary>Seven features of different shapes and an all-missing one, each with its training reference.</summary>
    private static (List<FeatureReference> References, List<float[]> Columns) Features(Random rng)
    {
        var references = new List<FeatureReference>();
        var columns = new List<float[]>();
        void Add(string name, Func<double> train, Func<double> now, double missingNow)
        {
            var sample = Enumerable.Range(0, 3000).Select(_ => rng.Next(100) == 0 ? float.NaN : (float)train()).ToArray();
            references.Add(FeatureReference.Build(name, sample));
            columns.Add([.. Enumerable.Range(0, Samples).Select(_ => rng.NextDouble() < missingNow ? (rng.Next(3) == 0 ? float.PositiveInfinity : float.NaN) : (float)now())]);
        }

        double Normal(double mean, double sd) => Float64Reference.Normal(rng, 1, mean, sd)[0];
        Add("same", () => Normal(0, 1), () => Normal(0, 1), 0.01);
        Add("shifted", () => Normal(0, 1), () => Normal(0.8, 1), 0.01);
        Add("wider", () => Normal(0, 1), () => Normal(0, 3), 0.0);
        Add("ties", () => rng.Next(0, 4), () => rng.Next(0, 5), 0.0);
        Add("skewed", () => Math.Exp(Normal(0, 1)), () => Math.Exp(Normal(0.2, 1)), 0.1);
        Add("gappy", () => Normal(0, 1), () => Normal(0, 1), 0.4);
        Add("empty now", () => Normal(0, 1), () => Normal(0, 1), 1.0);
        return (references, columns);
    }

    private static float[] Block(IReadOnlyList<float[]> columns) => [.. columns.SelectMany(c => c)];
}
