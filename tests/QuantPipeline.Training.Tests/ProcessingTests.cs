using TorchSharp;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Processing;

namespace QuantPipeline.Training.Tests;

public class ProcessingTests
{
    private static TrainingPanels Messy(int t, int n, int seed)
    {
        var rng = new Random(seed);
        var f0 = new float[t * n];
        var f1 = new float[t * n];
        var y = new float[t * n];
        var member = new bool[t * n];
        for (var i = 0; i < t * n; i++)
        {
            f0[i] = (float)(rng.NextDouble() * 10 - 3);
            f1[i] = (float)Math.Exp(rng.NextDouble() * 4);
            y[i] = (float)(rng.NextDouble() - 0.5);
            member[i] = rng.NextDouble() > 0.15;
        }

        f0[3] = float.NaN;
        f0[n + 1] = float.PositiveInfinity;
        f1[2 * n + 2] = float.NaN;
        y[4] = float.NaN;
        y[n + 5] = float.NegativeInfinity;
        member[3] = member[n + 1] = member[2 * n + 2] = member[4] = member[n + 5] = true;
        return new TrainingPanels(SyntheticPanels.Dates(t), SyntheticPanels.Symbols(n), ["f0", "f1"], [f0, f1], y, member);
    }

    private static float[] Column(SampleSet set, int feature)
    {
        var values = set.Values.data<float>().ToArray();
        return set.Rows.data<long>().ToArray().Select(c => values[c * set.FeatureCount + feature]).ToArray();
    }

    [Fact]
    public void Cross_sectional_zscore_matches_a_float64_reference_and_counts_every_drop()
    {
        const int t = 6, n = 40;
        var panels = Messy(t, n, 1);
        var options = new ProcessorOptions { Features = FeatureNormalisation.CrossSectionalZScore, Clip = 2.5, Missing = MissingFeaturePolicy.Fill, FillValue = 0 };
        var (state, set) = SampleSet.FitAndBuild(panels, 0, t, options);
        using (set)
        {
            var cells = set.Rows.data<long>().ToArray();
            var expectedCells = Enumerable.Range(0, t * n).Where(c => panels.Membership[c] && float.IsFinite(panels.Labels[c])).Select(c => (long)c).ToArray();
            Assert.Equal(expectedCells, cells);
            Assert.Equal(panels.Membership.Count(m => m), set.Report.Candidates);
            Assert.Equal(2, set.Report.DroppedMissingLabel);
            Assert.Equal(3, set.Report.NonFiniteFeatureValues);
            Assert.Equal(3, set.Report.FilledFeatureValues);
            Assert.Equal(set.Report, state.FitReport);

            for (var f = 0; f < 2; f++)
            {
                var got = Column(set, f);
                for (var i = 0; i < cells.Length; i++)
                {
                    var c = (int)cells[i];
                    var d = c / n;
                    var row = Enumerable.Range(d * n, n).Where(k => panels.Membership[k] && float.IsFinite(panels.Features[f][k])).Select(k => (double)panels.Features[f][k]).ToArray();
                    var mean = row.Average();
                    var std = Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average());
                    var raw = panels.Features[f][c];
                    var expected = float.IsFinite(raw) ? Math.Clamp((raw - mean) / std, -2.5, 2.5) : 0.0;
                    Assert.True(Math.Abs(expected - got[i]) < 1e-5, $"feature {f} cell {c}: expected {expected}, got {got[i]}");
                }
            }
        }
    }

    [Fact]
    public void Cross_sectional_rank_spans_minus_one_to_one_among_members()
    {
        const int t = 3, n = 9;
        var panels = Messy(t, n, 2);
        var options = new ProcessorOptions { Features = FeatureNormalisation.CrossSectionalRank, Labels = LabelNormalisation.CrossSectionalRank, Clip = 0 };
        var (_, set) = SampleSet.FitAndBuild(panels, 0, t, options);
        using (set)
        {
            var cells = set.Rows.data<long>().ToArray();
            var got = Column(set, 1);
            var labels = set.Labels.data<float>().ToArray();
            for (var i = 0; i < cells.Length; i++)
            {
                var c = (int)cells[i];
                var d = c / n;
                var row = Enumerable.Range(d * n, n).Where(k => panels.Membership[k] && float.IsFinite(panels.Features[1][k])).ToArray();
                var raw = panels.Features[1][c];
                if (!float.IsFinite(raw))
                {
                    Assert.Equal(0f, got[i]);
                    continue;
                }

                var rank = row.Count(k => panels.Features[1][k] < raw);
                Assert.Equal(2.0 * rank / (row.Length - 1) - 1, got[i], 5);

                var labelRow = Enumerable.Range(d * n, n).Where(k => panels.Membership[k] && float.IsFinite(panels.Labels[k])).ToArray();
                var labelRank = labelRow.Count(k => panels.Labels[k] < panels.Labels[c]);
                Assert.Equal(2.0 * labelRank / (labelRow.Length - 1) - 1, labels[c], 5);
            }
        }
    }

    [Fact]
    public void Robust_zscore_is_fitted_on_the_training_window_only_and_reused_later()
    {
        const int t = 10, n = 30;
        var panels = Messy(t, n, 3);
        var options = new ProcessorOptions { Features = FeatureNormalisation.RobustZScore, Clip = 3, Missing = MissingFeaturePolicy.Drop };
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 6, options);
        using (train)
        {
            for (var f = 0; f < 2; f++)
            {
                var window = Enumerable.Range(0, 6 * n).Where(k => panels.Membership[k] && float.IsFinite(panels.Features[f][k])).Select(k => (double)panels.Features[f][k]).OrderBy(v => v).ToArray();
                var median = window[(window.Length - 1) / 2];
                var deviations = window.Select(v => Math.Abs(v - median)).OrderBy(v => v).ToArray();
                var mad = deviations[(deviations.Length - 1) / 2];
                Assert.Equal(median, state.Median[f], 12);
                Assert.Equal(mad, state.Mad[f], 5);
            }

            Assert.Equal(3, train.Report.DroppedMissingFeature);
            Assert.Equal(0, train.Report.FilledFeatureValues);

            // Scrambling the later dates must not change the fitted statistics.
            var later = Messy(t, n, 99);
            var mixed = new TrainingPanels(panels.Dates, panels.Symbols, panels.FeatureNames,
                [.. panels.Features.Select((p, f) => p.Take(6 * n).Concat(later.Features[f].Skip(6 * n)).ToArray())], panels.Labels, panels.Membership);
            var (state2, train2) = SampleSet.FitAndBuild(mixed, 0, 6, options);
            train2.Dispose();
            Assert.Equal(state.Median, state2.Median);
            Assert.Equal(state.Mad, state2.Mad);

            using var test = SampleSet.Build(panels, 6, t, state);
            var cells = test.Rows.data<long>().ToArray();
            Assert.All(cells, c => Assert.True(c / n >= 6 - 6 && c / n < 4));
            var got = Column(test, 0);
            for (var i = 0; i < cells.Length; i++)
            {
                var raw = panels.Features[0][(int)cells[i] + 6 * n];
                var expected = Math.Clamp((raw - state.Median[0]) / (ProcessorState.MadToSigma * state.Mad[0]), -3, 3);
                Assert.Equal(expected, got[i], 4);
            }
        }
    }

    [Fact]
    public void Sequences_read_the_previous_bars_of_the_same_symbol()
    {
        const int t = 12, n = 5, l = 4;
        var panels = SyntheticPanels.Sequential(t, n, 3, 4);
        var options = new ProcessorOptions { Features = FeatureNormalisation.None, Clip = 0 };
        var (_, set) = SampleSet.FitAndBuild(panels, 6, t, options, l);
        using (set)
        {
            using var positions = torch.arange(set.Count, torch.ScalarType.Int64);
            var (x, y, dates) = set.Gather(positions);
            Assert.Equal(new long[] { set.Count, l, 2 }, x.shape);
            var xs = x.data<float>().ToArray();
            var ys = y.data<float>().ToArray();
            var ds = dates.data<long>().ToArray();
            var windowFrom = 6 - (l - 1);
            var positionsOf = set.SamplePositions();
            Assert.Equal((t - 6) * n, positionsOf.Length);
            for (var i = 0; i < positionsOf.Length; i++)
            {
                var (d, s) = positionsOf[i];
                Assert.Equal(d, ds[i]);
                var date = windowFrom + d;
                Assert.True(date >= 6);
                Assert.Equal(panels.Labels[date * n + s], ys[i]);
                for (var k = 0; k < l; k++)
                {
                    Assert.Equal(panels.Features[0][(date - (l - 1) + k) * n + s], xs[(i * l + k) * 2]);
                }
            }
        }
    }

    [Fact]
    public void Features_of_another_feature_set_are_refused()
    {
        var panels = SyntheticPanels.CrossSectional(4, 5, 1);
        var (state, set) = SampleSet.FitAndBuild(panels, 0, 4, new ProcessorOptions());
        set.Dispose();
        var renamed = new TrainingPanels(panels.Dates, panels.Symbols, ["a", "b", "z"], panels.Features, panels.Labels, panels.Membership);
        var e = Assert.Throws<ArgumentException>(() => SampleSet.Build(renamed, 0, 4, state));
        Assert.Contains("[a, b, c]", e.Message);
    }
}
