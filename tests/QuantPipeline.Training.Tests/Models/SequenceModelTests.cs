using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;
using QuantPipeline.Training.Training;

namespace QuantPipeline.Training.Tests.Models;

/// <summary>
/// The label is a sum of the signal over the last 6 bars: a one-bar model can explain at most
/// 1/6 of its variance, a sequence model nearly all of it.
/// </summary>
public class SequenceModelTests
{
    private const int Window = 6;

    [Theory]
    [InlineData(ModelKind.Gru)]
    [InlineData(ModelKind.Lstm)]
    [InlineData(ModelKind.Transformer)]
    public void Sequence_models_use_the_history_a_one_bar_model_cannot_see(ModelKind kind)
    {
        var panels = SyntheticPanels.Sequential(90, 24, Window, 11);
        var processors = new ProcessorOptions { Features = FeatureNormalisation.None, Clip = 0 };
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 70, processors, sequenceLength: 8);
        using var _ = train;
        using var validation = SampleSet.Build(panels, 70, 90, state, sequenceLength: 8);
        var options = new TrainerOptions
        {
            Model = new ModelSpec { Kind = kind, HiddenSize = 16, Heads = 2, FeedForward = 32, SequenceLength = 8 },
            LearningRate = 1e-2,
            Epochs = 12,
            BatchSize = 64,
            GradientClip = 1,
            Threads = 1,
            Device = DeviceChoice.Cpu,
        };
        using var trained = Trainer.Fit(train, validation, options, "fs-seq");
        var labels = validation.Labels.index_select(0, validation.Rows).data<float>().ToArray();
        var mse = SyntheticPanels.Mse(Trainer.Predict(trained.Model, validation), labels);
        var variance = SyntheticPanels.Variance(labels);

        var (oneBarState, oneBarTrain) = SampleSet.FitAndBuild(panels, 0, 70, processors);
        using var __ = oneBarTrain;
        using var oneBarValidation = SampleSet.Build(panels, 70, 90, oneBarState);
        using var ridge = Trainer.Fit(oneBarTrain, oneBarValidation, new TrainerOptions { Model = new ModelSpec { Kind = ModelKind.Ridge } }, "fs-seq");
        var ridgeMse = SyntheticPanels.Mse(Trainer.Predict(ridge.Model, oneBarValidation), oneBarValidation.Labels.index_select(0, oneBarValidation.Rows).data<float>().ToArray());

        Assert.True(ridgeMse > 0.7 * variance, $"one-bar ridge MSE {ridgeMse} vs variance {variance}");
        Assert.True(mse < 0.35 * variance, $"{kind} MSE {mse} vs variance {variance} (one-bar ridge {ridgeMse})");
    }
}
