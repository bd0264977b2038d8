using QuantPipeline.Core.Monitoring;

namespace QuantPipeline.Core.Tests.Monitoring;

public class DriftCalculatorTests
{
    [Fact]
    public void Psi_matches_a_hand_worked_example_and_the_default_levels()
    {
        // (0.1−0.25)ln(0.4) + (0.2−0.25)ln(0.8) + (0.3−0.25)ln(1.2) + (0.4−0.25)ln(1.6)
        //   = 0.1374436 + 0.0111572 + 0.0091161 + 0.0705006 = 0.2282174
        var psi = PopulationStability.Psi([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]);
        Assert.Equal(0.2282174, psi, 6);
        Assert.Equal("alert", PopulationStability.Level(psi));
        Assert.Equal("warn", PopulationStability.Level(0.1));
        Assert.Equal("ok", PopulationStability.Level(0.0999));
        var thresholds = new DriftThresholds();
        Assert.Equal(DriftLevel.Alert, thresholds.PsiLevel(0.2));
        Assert.Equal(DriftLevel.Warn, thresholds.PsiLevel(0.15));
        Assert.Equal(DriftLevel.Ok, thresholds.PsiLevel(0.05));
    }

    [Fact]
    public void Every_figure_matches_independent_float64_references_for_each_feature()
    {
        var rng = new Random(21);
        // Three features: unchanged, shifted by 0.5σ, and one with more missing values now than at training.
        var references = new List<FeatureReference>();
        var referenceSamples = new List<float[]>();
        var current = new List<float[]>();
        string[] names = ["same", "shifted", "gappy"];
        for (var f = 0; f < names.Length; f++)
        {
            var reference = Float64Reference.Normal(rng, 800, 0, 1).Select(x => (float)x).ToArray();
            reference[5] = float.NaN;
            var now = Float64Reference.Normal(rng, 400, f == 1 ? 0.5 : 0, 1).Select(x => (float)x).ToArray();
            if (f == 2)
            {
                for (var i = 0; i < 100; i++)
                {
                    now[i * 4] = float.NaN;
                }
            }

            referenceSamples.Add(reference);
            current.Add(now);
            references.Add(FeatureReference.Build(names[f], reference));
        }

        var figures = DriftCalculator.Compute(references, current);
        Assert.Equal(names, figures.Select(x => x.Name));
        for (var f = 0; f < names.Length; f++)
        {
            var reference = referenceSamples[f];
            var now = current[f];
            var refFinite = reference.Where(float.IsFinite).Select(x => (double)x).ToArray();
            var nowFinite = now.Where(float.IsFinite).Select(x => (double)x).ToArray();

            // PSI through the original float API (bins at the reference deciles).
            Assert.Equal(PopulationStability.Psi(reference, now), figures[f].Psi, 12);
            // The sketch holds the whole 799-value reference (below 1000), so D is the exact two-sample statistic.
            var d = Float64Reference.KsStatistic(refFinite, nowFinite);
            Assert.Equal(d, figures[f].KsStatistic, 14);
            Assert.Equal(Float64Reference.KolmogorovSurvival(Math.Sqrt(799.0 * nowFinite.Length / (799 + nowFinite.Length)) * d), figures[f].KsPValue, 12);
            // JS on the same bins, proportions counted with a plain loop.
            var edges = PopulationStability.QuantileEdges(reference);
            var p = Histogram(refFinite, edges);
            var q = Histogram(nowFinite, edges);
            Assert.Equal(Float64Reference.JensenShannonBase2(p, q), figures[f].JsDistance, 12);
            Assert.Equal(1.0 / 800, figures[f].ReferenceMissingRate, 14);
            Assert.Equal(1.0 - nowFinite.Length / 400.0, figures[f].CurrentMissingRate, 14);
        }

        Assert.Equal(DriftLevel.Ok, figures[0].PsiLevel);
        Assert.True(figures[1].Psi > figures[0].Psi * 3, $"shifted PSI {figures[1].Psi} vs unchanged {figures[0].Psi}");
        Assert.True(figures[1].KsPValue < 1e-6);
        Assert.Equal(0.25 - 1.0 / 800, figures[2].MissingRateChange, 14);
        Assert.Equal(DriftLevel.Alert, figures[2].MissingLevel);
        Assert.Equal(DriftLevel.Ok, figures[0].MissingLevel);

        // The vectorised PSI entry point agrees with the per-feature one.
        Assert.Equal(figures.Select(x => x.Psi), PopulationStability.Psi(references, current));
    }

    [Fact]
    public void A_large_reference_is_sketched_and_the_KS_statistic_stays_within_the_sketch_resolution()
    {
        var rng = new Random(8);
        var reference = Float64Reference.Normal(rng, 20_000, 0, 1).Select(x => (float)x).ToArray();
        var now = Float64Reference.Normal(rng, 500, 0.2, 1).Select(x => (float)x).ToArray();
        var built = FeatureReference.Build("x", reference);
        Assert.Equal(FeatureReference.DefaultSketchSize, built.Sketch.Length);
        Assert.Equal(20_000, built.Count);
        var exact = KolmogorovSmirnov.Test(reference, now).Statistic;
        var sketched = DriftCalculator.Compute([built], [now])[0].KsStatistic;
        Assert.InRange(sketched - exact, -2.0 / FeatureReference.DefaultSketchSize, 2.0 / FeatureReference.DefaultSketchSize);
    }

    [Fact]
    public void Reference_survives_a_json_round_trip()
    {
        var rng = new Random(2);
        var feature = FeatureReference.Build("ret_1", Float64Reference.Normal(rng, 300, 0, 1).Select(x => (float)x).ToArray());
        var reference = new MonitoringReference(MonitoringReference.CurrentFormatVersion, "m", "2024-01-31", "2023-01-02..2023-12-29", [feature], feature with { Name = "prediction" },
            new ValidationFigures("2024-01-02", "2024-01-30", 0.03, 0.1, 0.04, 1.5, [0.1, double.NaN, -0.05]));
        var back = MonitoringReference.FromJson(reference.ToJson(), "test");
        Assert.Equal(feature.Edges, back.Features[0].Edges);
        Assert.Equal(feature.Proportions, back.Features[0].Proportions);
        Assert.Equal(feature.Sketch, back.Features[0].Sketch);
        Assert.Equal(feature.MissingRate, back.Features[0].MissingRate);
        Assert.True(double.IsNaN(back.Validation.DailyIc[1]));
        Assert.Equal("prediction", back.Prediction.Name);
        var bad = Assert.Throws<InvalidDataException>(() => MonitoringReference.FromJson("{\"format_version\": 1,", "ref.json"));
        Assert.Contains("ref.json", bad.Message);
    }

    private static double[] Histogram(double[] values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var v in values)
        {
            var bin = 0;
            while (bin < edges.Length && v > edges[bin])
            {
                bin++;
            }

            counts[bin]++;
        }

        return [.. counts.Select(c => c / values.Length)];
    }
}
