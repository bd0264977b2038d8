using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;
using QuantPipeline.Training.Training;
using TorchSharp;

namespace QuantPipeline.Training.Tests;

public class TrainerTests
{
    private static readonly ProcessorOptions Raw = new() { Features = FeatureNormalisation.None, Clip = 0 };

    [Fact]
    public void Ridge_matches_the_normal_equations_solved_in_float64()
    {
        var panels = SyntheticPanels.CrossSectional(20, 25, 5);
        var (_, train) = SampleSet.FitAndBuild(panels, 0, 20, Raw);
        using (train)
        {
            const double lambda = 3.0;
            var options = new TrainerOptions { Model = new ModelSpec { Kind = ModelKind.Ridge, RidgeLambda = lambda }, Device = DeviceChoice.Cpu };
            using var trained = Trainer.Fit(train, null, options, "fs-test");
            var predictions = Trainer.Predict(trained.Model, train);

            // Reference: centred normal equations by Gaussian elimination on plain doubles.
            var rows = panels.T * panels.N;
            double[] mean = new double[3];
            double yMean = 0;
            for (var i = 0; i < rows; i++)
            {
                for (var k = 0; k < 3; k++)
                {
                    mean[k] += (double)panels.Features[k][i] / rows;
                }

                yMean += (double)panels.Labels[i] / rows;
            }

            var a = new double[3, 4];
            for (var i = 0; i < rows; i++)
            {
                for (var r = 0; r < 3; r++)
                {
                    var xr = panels.Features[r][i] - mean[r];
                    for (var c = 0; c < 3; c++)
                    {
                        a[r, c] += xr * (panels.Features[c][i] - mean[c]);
                    }

                    a[r, 3] += xr * (panels.Labels[i] - yMean);
                }
            }

            for (var r = 0; r < 3; r++)
            {
                a[r, r] += lambda;
            }

            for (var p = 0; p < 3; p++)
            {
                for (var r = p + 1; r < 3; r++)
                {
                    var factor = a[r, p] / a[p, p];
                    for (var c = p; c < 4; c++)
                    {
                        a[r, c] -= factor * a[p, c];
                    }
                }
            }

            var w = new double[3];
            for (var r = 2; r >= 0; r--)
            {
                var s = a[r, 3];
                for (var c = r + 1; c < 3; c++)
                {
                    s -= a[r, c] * w[c];
                }

                w[r] = s / a[r, r];
            }

            var b = yMean - (mean[0] * w[0] + mean[1] * w[1] + mean[2] * w[2]);
            for (var i = 0; i < rows; i++)
            {
                var expected = b + w[0] * panels.Features[0][i] + w[1] * panels.Features[1][i] + w[2] * panels.Features[2][i];
                Assert.True(Math.Abs(expected - predictions[i]) < 1e-4, $"row {i}: {expected} vs {predictions[i]}");
            }
        }
    }

    [Fact]
    public void Mlp_learns_the_interaction_and_beats_ridge_on_later_dates()
    {
        var panels = SyntheticPanels.CrossSectional(60, 50, 6);
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 40, Raw);
        using var _ = train;
        using var validation = SampleSet.Build(panels, 40, 60, state);
        var logs = new List<string>();
        var options = new TrainerOptions
        {
            Model = new ModelSpec { Kind = ModelKind.Mlp, Hidden = [32, 16] },
            Optimizer = OptimizerKind.AdamW,
            WeightDecay = 1e-4,
            LearningRate = 5e-3,
            Schedule = LearningRateSchedule.Cosine,
            GradientClip = 5,
            Epochs = 25,
            BatchSize = 128,
            Patience = 6,
            Seed = 3,
            Threads = 1,
            Device = DeviceChoice.Cpu,
        };
        using var mlp = Trainer.Fit(train, validation, options, "fs-test", logs.Add);
        using var ridge = Trainer.Fit(train, validation, options with { Model = new ModelSpec { Kind = ModelKind.Ridge } }, "fs-test");
        var labels = validation.Labels.index_select(0, validation.Rows).data<float>().ToArray();
        var mlpMse = SyntheticPanels.Mse(Trainer.Predict(mlp.Model, validation), labels);
        var ridgeMse = SyntheticPanels.Mse(Trainer.Predict(ridge.Model, validation), labels);
        var variance = SyntheticPanels.Variance(labels);
        Assert.True(mlpMse < 0.1 * variance, $"MLP MSE {mlpMse} vs label variance {variance}");
        Assert.True(mlpMse < 0.6 * ridgeMse, $"MLP MSE {mlpMse} vs ridge {ridgeMse}");
        Assert.Equal("cpu", mlp.Card.Device);
        Assert.Contains(logs, l => l.StartsWith("epoch 1/25", StringComparison.Ordinal) && l.Contains("samples/s") && l.Contains("ETA") && l.Contains("val_ic"));
        Assert.Equal(panels.Dates[0], mlp.Card.TrainFrom);
        Assert.Equal(panels.Dates[39], mlp.Card.TrainTo);
        Assert.Equal(panels.Dates[40], mlp.Card.ValidationFrom);
        Assert.Equal(panels.Dates[59], mlp.Card.ValidationTo);
        // Cosine schedule: the rate falls epoch by epoch.
        Assert.True(mlp.Card.Curve[^1].LearningRate < mlp.Card.Curve[0].LearningRate);
        // Best-weights restore: the kept model scores exactly the recorded best validation MSE.
        var best = mlp.Card.Curve[mlp.Card.BestEpoch - 1];
        Assert.Equal(best.ValidationMse!.Value, mlp.Card.Curve.Min(e => e.ValidationMse!.Value));
        Assert.Equal(best.ValidationMse.Value, mlpMse, 5);
    }

    [Fact]
    public void Early_stopping_stops_and_restores_the_best_epoch()
    {
        // Labels are pure noise: validation loss stops improving almost at once.
        var panels = SyntheticPanels.CrossSectional(30, 20, 7, noise: 1.0);
        var shuffle = new Random(1);
        var shuffled = panels.Labels.OrderBy(_ => shuffle.Next()).ToArray();
        var noisy = new TrainingPanels(panels.Dates, panels.Symbols, panels.FeatureNames, panels.Features, shuffled, panels.Membership);
        var (state, train) = SampleSet.FitAndBuild(noisy, 0, 20, Raw);
        using var _ = train;
        using var validation = SampleSet.Build(noisy, 20, 30, state);
        var options = new TrainerOptions { Model = new ModelSpec { Hidden = [64] }, LearningRate = 1e-2, Epochs = 200, BatchSize = 50, Patience = 3, Threads = 1, Device = DeviceChoice.Cpu };
        using var trained = Trainer.Fit(train, validation, options, "fs-test");
        Assert.True(trained.Card.Curve.Count < 200, "training should stop early on noise");
        Assert.Equal(trained.Card.BestEpoch + 3, trained.Card.Curve.Count);
        var labels = validation.Labels.index_select(0, validation.Rows).data<float>().ToArray();
        var mse = SyntheticPanels.Mse(Trainer.Predict(trained.Model, validation), labels);
        Assert.Equal(trained.Card.Curve[trained.Card.BestEpoch - 1].ValidationMse!.Value, mse, 5);
    }

    [Fact]
    public void Same_seed_data_and_threads_give_bit_identical_weights()
    {
        var panels = SyntheticPanels.CrossSectional(20, 30, 8);
        var (_, train) = SampleSet.FitAndBuild(panels, 0, 20, new ProcessorOptions());
        using var _ = train;
        var options = new TrainerOptions { Model = new ModelSpec { Hidden = [16, 8], Dropout = 0.1 }, Epochs = 2, BatchSize = 100, Seed = 21, Threads = 2, Device = DeviceChoice.Cpu };
        using var a = Trainer.Fit(train, null, options, "fs-test");
        using var b = Trainer.Fit(train, null, options, "fs-test");
        using var c = Trainer.Fit(train, null, options with { Seed = 22 }, "fs-test");
        var wa = Weights(a);
        var wb = Weights(b);
        Assert.Equal(wa.Keys, wb.Keys);
        foreach (var key in wa.Keys)
        {
            Assert.Equal(wa[key].Select(BitConverter.SingleToInt32Bits), wb[key].Select(BitConverter.SingleToInt32Bits));
        }

        Assert.NotEqual(wa["_layers.output.weight"], Weights(c)["_layers.output.weight"]);
    }

    [Fact]
    public void Negative_ic_loss_equals_minus_the_mean_daily_pearson_correlation()
    {
        var rng = new Random(9);
        var dates = new long[] { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2 };
        var p = dates.Select(_ => (float)rng.NextDouble()).ToArray();
        var y = dates.Select(_ => (float)rng.NextDouble()).ToArray();
        using var loss = Losses.Compute(LossKind.NegativeIc, torch.tensor(p), torch.tensor(y), torch.tensor(dates));
        var expected = dates.Distinct().Select(d =>
        {
            var idx = Enumerable.Range(0, dates.Length).Where(i => dates[i] == d).ToArray();
            var mp = idx.Average(i => (double)p[i]);
            var my = idx.Average(i => (double)y[i]);
            var cov = idx.Sum(i => (p[i] - mp) * (y[i] - my));
            var vp = idx.Sum(i => (p[i] - mp) * (p[i] - mp));
            var vy = idx.Sum(i => (y[i] - my) * (y[i] - my));
            return cov / Math.Sqrt(vp * vy);
        }).Average();
        Assert.Equal(-expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Ic_loss_with_by_date_batches_learns_the_ranking()
    {
        var panels = SyntheticPanels.CrossSectional(40, 40, 10);
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 30, new ProcessorOptions { Labels = LabelNormalisation.CrossSectionalZScore });
        using var _ = train;
        using var validation = SampleSet.Build(panels, 30, 40, state);
        var options = new TrainerOptions
        {
            Model = new ModelSpec { Hidden = [16] },
            Loss = LossKind.NegativeIc,
            Sampler = SamplerKind.ByDate,
            EarlyStop = EarlyStopMetric.ValidationIc,
            LearningRate = 1e-2,
            Epochs = 15,
            BatchSize = 150,
            Threads = 1,
            Device = DeviceChoice.Cpu,
        };
        using var trained = Trainer.Fit(train, validation, options, "fs-test");
        Assert.True(trained.Card.Curve.Max(e => e.ValidationIc!.Value) > 0.85, $"best validation IC {trained.Card.Curve.Max(e => e.ValidationIc!.Value)}");
    }

    [Fact]
    public void Cuda_request_without_cuda_fails_clearly()
    {
        if (torch.cuda.is_available())
        {
            return;
        }

        var panels = SyntheticPanels.CrossSectional(5, 5, 1);
        var (_, train) = SampleSet.FitAndBuild(panels, 0, 5, Raw);
        using var _ = train;
        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(train, null, new TrainerOptions { Device = DeviceChoice.Cuda, Epochs = 1 }, "fs"));
        Assert.Contains("CUDA was requested but is not available", e.Message);
    }

    private static Dictionary<string, float[]> Weights(TrainedModel model) =>
        model.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.data<float>().ToArray());
}
