using QuantPipeline.Training;

namespace QuantPipeline.Training.Tests;

public class MlpTrainerTests
{
    /// <summary>y = 2·x0 − x1 + 0.5·x0·x2 + small noise: an MLP must learn most of it.</summary>
    private static (float[] X, float[] Y) Data(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * 3];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                x[i * 3 + c] = (float)(rng.NextDouble() * 2 - 1);
            }

            y[i] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5f * x[i * 3] * x[i * 3 + 2] + (float)(0.05 * (rng.NextDouble() - 0.5));
        }

        return (x, y);
    }

    [Fact]
    public void Progress_reports_each_epoch_with_its_loss_and_leaves_the_model_unchanged()
    {
        var (x, y) = Data(300, 3);
        var updates = new List<QuantPipeline.Core.Progress.ProgressUpdate>();
        var options = new MlpTrainingOptions { Hidden = [8], Epochs = 3, BatchSize = 64, Seed = 9 };
        var (model, curve) = MlpTrainer.Train(x, y, 300, 3, options with { Progress = new Collect(updates), ProgressTask = "train t1" });
        var (quiet, quietCurve) = MlpTrainer.Train(x, y, 300, 3, options);
        using (model)
        using (quiet)
        {
            Assert.Equal([1L, 2L, 3L], updates.Select(u => u.Done));
            Assert.All(updates, u => Assert.Equal(("train t1", 3L), (u.Task, u.Total)));
            Assert.Equal(curve.EpochLoss.Select((l, i) => $"epoch {i + 1}: loss {l.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)}"), updates.Select(u => u.Detail));
            Assert.Equal(quietCurve.EpochLoss, curve.EpochLoss);
        }
    }

    /// <summary>Collects updates synchronously, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Collect(List<QuantPipeline.Core.Progress.ProgressUpdate> updates) : IProgress<QuantPipeline.Core.Progress.ProgressUpdate>
    {
        public void Report(QuantPipeline.Core.Progress.ProgressUpdate value) => updates.Add(value);
    }

    [Fact]
    public void Training_loss_falls_and_the_model_generalises()
    {
        var (x, y) = Data(4000, 1);
        var options = new MlpTrainingOptions { Hidden = [32, 16], Epochs = 30, BatchSize = 128, LearningRate = 3e-3, Seed = 5 };
        var (model, curve) = MlpTrainer.Train(x, y, 4000, 3, options);
        using (model)
        {
            Assert.Equal(30, curve.EpochLoss.Count);
            Assert.True(curve.EpochLoss[^1] < curve.EpochLoss[0] / 10, $"loss {curve.EpochLoss[0]} → {curve.EpochLoss[^1]}");
            var variance = y.Select(v => (double)v).Select(v => v * v).Average() - Math.Pow(y.Average(v => (double)v), 2);
            var (tx, ty) = Data(1000, 2);
            var mse = MlpTrainer.MeanSquaredError(model, tx, ty, 1000, 3);
            Assert.True(mse < 0.05 * variance, $"test MSE {mse} vs target variance {variance}");
        }
    }

    [Fact]
    public void Same_seed_gives_identical_predictions()
    {
        var (x, y) = Data(1000, 3);
        var options = new MlpTrainingOptions { Hidden = [8], Epochs = 3, BatchSize = 100, Seed = 11 };
        var (a, _) = MlpTrainer.Train(x, y, 1000, 3, options);
        var (b, _) = MlpTrainer.Train(x, y, 1000, 3, options);
        using (a)
        using (b)
        {
            Assert.Equal(MlpTrainer.Predict(a, x, 1000, 3), MlpTrainer.Predict(b, x, 1000, 3));
        }
    }

    [Fact]
    public void Mismatched_shapes_are_refused_with_the_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => MlpTrainer.Train(new float[10], new float[4], 5, 2, new MlpTrainingOptions()));
        Assert.Contains("5×2", e.Message);
    }
}
