using QuantPipeline.Training.Checkpoints;
using QuantPipeline.Training.Data;
using QuantPipeline.Training.Models;
using QuantPipeline.Training.Processing;
using QuantPipeline.Training.Training;

namespace QuantPipeline.Training.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"qp-ckpt-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private TrainedModel TrainAndSave(ModelSpec spec, out SampleSet validation)
    {
        var panels = SyntheticPanels.Sequential(40, 12, 3, 12);
        var (state, train) = SampleSet.FitAndBuild(panels, 0, 30, new ProcessorOptions { Features = FeatureNormalisation.RobustZScore }, spec.SequenceLength);
        using var _ = train;
        validation = SampleSet.Build(panels, 30, 40, state, spec.SequenceLength);
        var trained = Trainer.Fit(train, validation, new TrainerOptions { Model = spec, Epochs = 2, BatchSize = 64, Threads = 1, Device = DeviceChoice.Cpu }, "fs-v3");
        ModelCheckpoint.Save(trained, _dir);
        return trained;
    }

    [Theory]
    [InlineData(ModelKind.Mlp, 1)]
    [InlineData(ModelKind.Gru, 5)]
    [InlineData(ModelKind.Transformer, 5)]
    public void Reloading_gives_bit_identical_predictions_and_the_full_card(ModelKind kind, int sequenceLength)
    {
        using var trained = TrainAndSave(new ModelSpec { Kind = kind, Hidden = [8], HiddenSize = 8, Heads = 2, FeedForward = 16, SequenceLength = sequenceLength }, out var validation);
        using var _ = validation;
        using var loaded = ModelCheckpoint.Load(_dir, "fs-v3", ["signal", "distractor"]);
        var before = Trainer.Predict(trained.Model, validation);
        var after = Trainer.Predict(loaded.Model, validation);
        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), after.Select(BitConverter.SingleToInt32Bits));

        var card = loaded.Card;
        Assert.Equal(ModelCheckpoint.Sha256(Path.Combine(_dir, ModelCheckpoint.WeightsFile)), card.WeightsSha256);
        Assert.Equal(64, card.WeightsSha256!.Length);
        Assert.Equal(kind, card.Architecture.Kind);
        Assert.Equal(2, card.Curve.Count);
        Assert.Equal("cpu", card.Device);
        Assert.Equal(7, card.Seed);
        Assert.Equal(trained.Card.Processors!.Median, card.Processors!.Median);
        Assert.Equal(trained.Card.Processors.Mad, card.Processors.Mad);
        Assert.Equal(trained.Card.TrainFrom, card.TrainFrom);
        Assert.Equal(trained.Card.ValidationTo, card.ValidationTo);
        Assert.Equal(trained.Card.Processors.FitReport, card.Processors.FitReport);
    }

    [Fact]
    public void Corrupt_weights_are_refused_by_their_hash()
    {
        using var trained = TrainAndSave(new ModelSpec { Hidden = [8] }, out var validation);
        validation.Dispose();
        var weights = Path.Combine(_dir, ModelCheckpoint.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(weights, bytes);
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(_dir, "fs-v3"));
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(weights, e.Message);
    }

    [Fact]
    public void A_card_for_another_architecture_is_refused()
    {
        using var trained = TrainAndSave(new ModelSpec { Hidden = [8] }, out var validation);
        validation.Dispose();
        var cardPath = Path.Combine(_dir, ModelCheckpoint.CardFile);
        var json = File.ReadAllText(cardPath);
        File.WriteAllText(cardPath, json.Replace("\"hidden\": [\n      8\n    ]", "\"hidden\": [\n      12\n    ]", StringComparison.Ordinal));
        Assert.NotEqual(json, File.ReadAllText(cardPath));
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(_dir, "fs-v3"));
        Assert.Contains("does not fit the architecture", e.Message);
    }

    [Fact]
    public void Another_feature_set_or_a_broken_card_is_refused()
    {
        using var trained = TrainAndSave(new ModelSpec { Hidden = [8] }, out var validation);
        validation.Dispose();
        var e = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(_dir, "fs-v4"));
        Assert.Contains("'fs-v3', not 'fs-v4'", e.Message);
        var f = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(_dir, "fs-v3", ["signal", "other"]));
        Assert.Contains("expects features [signal, distractor]", f.Message);
        File.WriteAllText(Path.Combine(_dir, ModelCheckpoint.CardFile), "{ \"format\": 1, \"architecture\": ");
        var g = Assert.Throws<CheckpointException>(() => ModelCheckpoint.Load(_dir, "fs-v3"));
        Assert.Contains("not a valid model card", g.Message);
    }
}
