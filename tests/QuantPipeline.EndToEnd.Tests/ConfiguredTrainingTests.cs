using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>The features, labels, model and training settings of the configuration reach the pipeline.</summary>
public sealed class ConfiguredTrainingTests : IDisposable
{
    private static readonly SyntheticMarketOptions Market = new() { Symbols = 20, From = new DateOnly(2021, 1, 4), To = new DateOnly(2021, 12, 31), Seed = 5 };

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-configured-").FullName;

    private PipelineResult Run(string name, string yaml)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $"model_name: {name}\ntraining_window_days: 120\nvalidation_window_days: 40\n{yaml}");
        var config = PipelineConfigFile.Load(path, [], new Dictionary<string, string>());
        return new ProductionPipeline(config, _dir).RunDemo(Market);
    }

    [Fact]
    public void Layers_epochs_and_the_feature_and_label_clips_come_from_the_file()
    {
        var narrow = Run("narrow", "model:\n  hidden_layers: [8]\ntraining:\n  epochs: 2\n  batch_size: 64\n  learning_rate: 0.01\nlabels:\n  zscore_clip: 0.5\n");
        var train = narrow.Stages.Single(s => s.Stage == "train");
        Assert.StartsWith("MLP 6→8→1 ", train.Detail, StringComparison.Ordinal);
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _dir))
        {
            var version = registry.GetVersion("narrow", 1);
            Assert.Equal("8", version.Parameters["hidden"]);
            Assert.Equal("2", version.Parameters["epochs"]);
            // Targets clipped at ±0.5 have a variance of at most 0.25, and the MSE of a trained model stays below it.
            Assert.InRange(version.Metrics["train_loss"], 0, 0.25);
        }

        // The same run with the features clipped at ±0.5 instead of ±5 trains on other inputs.
        var clipped = Run("clipped", "model:\n  hidden_layers: [8]\ntraining:\n  epochs: 2\n  batch_size: 64\n  learning_rate: 0.01\nlabels:\n  zscore_clip: 0.5\nfeatures:\n  zscore_clip: 0.5\n");
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _dir))
        {
            Assert.NotEqual(registry.GetVersion("narrow", 1).Metrics["train_loss"], registry.GetVersion("clipped", 1).Metrics["train_loss"]);
            Assert.NotEqual(narrow.Metrics.Sharpe, clipped.Metrics.Sharpe);
        }

        var wide = Run("wide", "model:\n  hidden_layers: [16, 8]\ntraining:\n  epochs: 1\n");
        Assert.StartsWith("MLP 6→16→8→1 ", wide.Stages.Single(s => s.Stage == "train").Detail, StringComparison.Ordinal);
        using (var registry = SqliteModelRegistry.Open("sqlite:///models.db", _dir))
        {
            // Clipped at ±3, the z-scored targets have a variance near 1; one epoch explains little of it.
            Assert.InRange(registry.GetVersion("wide", 1).Metrics["train_loss"], 0.5, 1.5);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
