using QuantPipeline.Core.Progress;
using QuantPipeline.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantPipeline.Training;

public sealed record MlpTrainingOptions
{
    public IReadOnlyList<int> Hidden { get; init; } = [64, 32];

    public int Epochs { get; init; } = 8;

    public int BatchSize { get; init; } = 1024;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }

    public int Seed { get; init; } = 7;

    /// <summary>Receives one update per epoch (epochs done of <see cref="Epochs"/>, with the epoch's loss); does not affect the result.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>Task name of the progress updates, e.g. "train 2024-03-01" when several trainings run at once.</summary>
    public string ProgressTask { get; init; } = "train";
}

/// <summary>Loss after each epoch, in order.</summary>
public sealed record TrainingCurve(IReadOnlyList<double> EpochLoss, double SamplesPerSecond, string Device);

/// <summary>Trains an <see cref="MlpRegressor"/> with Adam on MSE, on CPU, deterministically for a seed.</summary>
public static class MlpTrainer
{
    private static readonly Lock SeedLock = new();

    /// <param name="features">Row-major [rows, columns] sample matrix.</param>
    /// <param name="targets">One target per row.</param>
    public static (MlpRegressor Model, TrainingCurve Curve) Train(float[] features, float[] targets, int rows, int columns, MlpTrainingOptions options) =>
        Train(features, targets, rows, columns, options, progress: null, CancellationToken.None);

    /// <summary>
    /// As <see cref="Train(float[], float[], int, int, MlpTrainingOptions)"/>, reporting samples done (over all epochs) after
    /// each batch and stopping between batches when <paramref name="cancellationToken"/> is cancelled; neither changes the numbers.
    /// </summary>
    public static (MlpRegressor Model, TrainingCurve Curve) Train(
        float[] features, float[] targets, int rows, int columns, MlpTrainingOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        if (rows < 1 || columns < 1 || features.Length != (long)rows * columns || targets.Length != rows)
        {
            throw new ArgumentException($"Expected {rows}×{columns} features and {rows} targets, got {features.Length} and {targets.Length}.");
        }

        // The initial weights come from torch's process-wide generator: seeding and drawing must not interleave
        // with another training in the same process, or the same seed would give different weights.
        MlpRegressor model;
        lock (SeedLock)
        {
            random.manual_seed(options.Seed);
            model = new MlpRegressor(columns, options.Hidden);
        }

        using var x = tensor(features, [rows, columns]);
        using var y = tensor(targets, [rows]);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var generator = new Generator((ulong)options.Seed);
        var losses = new List<double>(options.Epochs);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var totalSamples = (long)rows * options.Epochs;
        model.train();
        try
        {
            Epochs(model, optimizer, x, y, rows, options, generator, losses, progress, totalSamples, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        var samplesPerSecond = (double)rows * options.Epochs / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
        return (model, new TrainingCurve(losses, samplesPerSecond, "cpu"));
    }

    private static void Epochs(
        MlpRegressor model, optim.Optimizer optimizer, Tensor x, Tensor y, int rows, MlpTrainingOptions options, Generator generator,
        List<double> losses, IProgress<ProgressUpdate>? progress, long totalSamples, CancellationToken cancellationToken)
    {
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            using var epochScope = NewDisposeScope();
            var order = randperm(rows, generator: generator);
            double total = 0;
            for (var start = 0; start < rows; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                var length = Math.Min(options.BatchSize, rows - start);
                var index = order.narrow(0, start, length);
                var batchX = x.index_select(0, index);
                var batchY = y.index_select(0, index);
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(model.forward(batchX), batchY);
                loss.backward();
                optimizer.step();
                total += loss.item<float>() * length;
                progress?.Report(new ProgressUpdate("train", (long)epoch * rows + start + length, totalSamples, $"epoch {epoch + 1}/{options.Epochs}"));
            }

            losses.Add(total / rows);
            options.Progress?.Report(new ProgressUpdate(options.ProgressTask, epoch + 1, options.Epochs, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {epoch + 1}: loss {total / rows:0.000000}")));
            progress?.Report(new ProgressUpdate("train", (long)(epoch + 1) * rows, totalSamples, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {epoch + 1}/{options.Epochs}, loss {losses[^1]:0.0000}")));
        }
    }

    /// <summary>Predictions for a row-major [rows, columns] matrix.</summary>
    public static float[] Predict(MlpRegressor model, float[] features, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (rows == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var output = model.forward(tensor(features, [rows, columns]));
        return output.data<float>().ToArray();
    }

    public static double MeanSquaredError(MlpRegressor model, float[] features, float[] targets, int rows, int columns)
    {
        var predictions = Predict(model, features, rows, columns);
        double sum = 0;
        for (var i = 0; i < rows; i++)
        {
            var d = predictions[i] - (double)targets[i];
            sum += d * d;
        }

        return sum / rows;
    }
}
