using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Training.Models.LightGbm;

namespace QuantPipeline.Orchestrator.Tests.Components;

public sealed class LabelAndBoosterTests
{
    private static readonly float[] Close = [100, 110, 99, 120, 90];

    [Fact]
    public void Labels_are_the_returns_they_name_and_end_where_purging_says()
    {
        var forward = PipelineLabels.Compute(new PipelineConfig { LabelHorizon = 2 }, Close, 5, 1);
        Assert.Equal(99f / 100 - 1, forward[0], 6);
        Assert.Equal(90f / 99 - 1, forward[2], 6);
        Assert.True(float.IsNaN(forward[3]));
        Assert.Equal(2, PipelineLabels.EndOffset(new PipelineConfig { LabelHorizon = 2 }));

        // Qlib's label: from the next close to the one after.
        var qlib = PipelineLabels.Compute(new PipelineConfig { LabelKind = "qlib" }, Close, 5, 1);
        Assert.Equal(99f / 110 - 1, qlib[0], 6);
        Assert.Equal(90f / 120 - 1, qlib[2], 6);
        Assert.True(float.IsNaN(qlib[3]));
        Assert.Equal(2, PipelineLabels.EndOffset(new PipelineConfig { LabelKind = "qlib" }));
    }

    [Fact]
    public void LightGbm_learns_a_step_and_its_saved_model_predicts_the_same_bits()
    {
        var random = new Random(3);
        const int rows = 2000;
        var x = new float[rows * 2];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            x[2 * i] = (float)(random.NextDouble() * 2 - 1);
            x[2 * i + 1] = (float)(random.NextDouble() * 2 - 1);
            y[i] = x[2 * i] > 0 ? 1 : -1;
        }

        var options = new LightGbmOptions { Rounds = 60, LearningRate = 0.3, NumLeaves = 4, EarlyStoppingRounds = 0 };
        using var booster = LightGbmBooster.Train(x, y, rows, 2, null, null, 0, options);
        Assert.Equal(60, booster.Rounds);
        // Points away from the step: the trees must give the step's value.
        float[] probe = [0.5f, 0.9f, -0.5f, -0.3f, 0.8f, -0.8f];
        var predicted = booster.Predict(probe, 3, 2);
        Assert.Equal(1, predicted[0], 0.05);
        Assert.Equal(-1, predicted[1], 0.05);
        Assert.Equal(1, predicted[2], 0.05);

        using var loaded = LightGbmBooster.Load(booster.Save());
        Assert.Equal(predicted, loaded.Predict(probe, 3, 2));
        using var again = LightGbmBooster.Train(x, y, rows, 2, null, null, 0, options);
        Assert.Equal(booster.Save(), again.Save());
    }
}
