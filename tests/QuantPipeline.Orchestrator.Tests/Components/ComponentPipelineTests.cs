using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Tests.Runs;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Tests.Components;

/// <summary>Each case runs prepare through monitor on the small market with one choice of components, then reproduces the version.</summary>
public sealed class ComponentPipelineTests : IDisposable
{
    private readonly SmallMarket _market = new();

    private (PipelineResult Result, ModelVersion Version, ReproductionReport Reproduced) RunAndReproduce(PipelineConfig config)
    {
        var result = new ProductionPipeline(config, _market.Directory).Run(SmallMarket.AsOf);
        using var registry = ModelRegistry.Open(config.ModelRegistryUri, _market.Directory);
        var version = registry.GetVersion(config.ModelName, result.Version);
        return (result, version, Reproducer.Reproduce(registry, version, _market.Directory));
    }

    [Fact]
    public void Ridge_on_a_feature_set_file_with_purged_kfold_records_its_components_and_reproduces_bit_for_bit()
    {
        File.WriteAllText(Path.Combine(_market.Directory, "mine.yaml"), """
            name: mine
            features:
              R1: $close/Ref($close, 1)-1
              R5: $close/Ref($close, 5)-1
              VW: $vwap/$close
            """);
        var config = SmallMarket.Config with { FeatureSet = "mine.yaml", ModelKind = "ridge", ValidationScheme = "purged_kfold", ValidationFolds = 3 };
        var (result, version, reproduced) = RunAndReproduce(config);

        Assert.Equal(StageStatus.Ok, result.Stages.Single(s => s.Stage == "monitor").Status);
        var record = ComponentRecord.Read(version.Parameters)!;
        Assert.Equal("ridge", record.Model);
        Assert.Equal(["R1", "R5"], record.Features);
        // The synthetic store has no vwap: the feature reading it is dropped and named, and the version is that of the two kept.
        Assert.Equal(["VW (no $vwap stored)"], record.DroppedFeatures);
        var kept = new FeatureSet("mine", [new FeatureDefinition("R1", "$close/Ref($close, 1)-1"), new FeatureDefinition("R5", "$close/Ref($close, 5)-1")]);
        Assert.Equal(kept.Version, record.FeatureSetVersion);
        Assert.Equal(kept.Version, version.Lineage!.FeatureSetVersion);
        Assert.Equal("purged_kfold(folds=3, embargo=0)", record.ValidationScheme);
        Assert.Equal("1", record.Hyperparameters["ridge_alpha"]);
        Assert.Equal(1, version.Metrics["cv_paths"]);
        // One path for k-fold: its Sharpe is the gated one; the deflated Sharpe counts the 3 folds as trials.
        Assert.Equal(version.Metrics["sharpe"], version.Metrics["cv_path_sharpe_mean"], 12);
        Assert.Equal(3, version.Metrics["trials"]);
        Assert.Contains("3 split(s), 1 path(s)", result.Stages.Single(s => s.Stage == "validate").Detail, StringComparison.Ordinal);
        Assert.True(reproduced.Identical, string.Join("; ", reproduced.Metrics.Where(m => !m.Identical).Select(m => m.Name)));
    }

    [Fact]
    public void LightGbm_on_alpha158_trains_deploys_and_reproduces_bit_for_bit()
    {
        var config = SmallMarket.Config with { FeatureSet = "alpha158", ModelKind = "lightgbm", ModelNumRounds = 30, ModelNumLeaves = 15 };
        var (result, version, reproduced) = RunAndReproduce(config);

        var record = ComponentRecord.Read(version.Parameters)!;
        Assert.Equal("lightgbm", record.Model);
        Assert.Equal("lightgbm-4.7.0", record.ModelVersion);
        Assert.Equal(157, record.Features.Count);
        Assert.Equal(["VWAP0 (no $vwap stored)"], record.DroppedFeatures);
        Assert.InRange(int.Parse(record.Hyperparameters["rounds_kept"], System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        Assert.NotNull(result.SignalsPath);
        Assert.True(reproduced.WeightsIdentical);
        Assert.True(reproduced.Identical);
    }

    [Fact]
    public void A_gru_over_sequences_reproduces_bit_for_bit_and_scores_the_as_of_from_its_artifact()
    {
        var config = SmallMarket.Config with { ModelKind = "gru", ModelSequenceLength = 5, TrainingEpochs = 1, ModelHiddenSize = 8 };
        var (result, version, reproduced) = RunAndReproduce(config);

        Assert.Equal("5", ComponentRecord.Read(version.Parameters)!.Hyperparameters["sequence_length"]);
        Assert.True(reproduced.Identical);
        // Deploy scored the as-of with the artifact rebuilt from the recorded components: the same scores again.
        using var registry = ModelRegistry.Open(config.ModelRegistryUri, _market.Directory);
        var first = File.ReadAllText(result.SignalsPath!);
        var again = Deploy.BatchInference.Run(registry, _market.Directory, config.ModelName, SmallMarket.AsOf);
        Assert.Equal(first, File.ReadAllText(again.CsvPath));
        Assert.Equal(20, again.Rows.Count);
    }

    [Fact]
    public void A_feature_reading_a_field_the_store_cannot_hold_is_refused_with_the_feature_and_field()
    {
        File.WriteAllText(Path.Combine(_market.Directory, "bad.yaml"), """
            name: bad
            features:
              TURN: $turnover/Mean($turnover, 5)
            """);
        var config = SmallMarket.Config with { FeatureSet = "bad.yaml", ModelKind = "ridge" };
        var e = Assert.ThrowsAny<Exception>(() => new ProductionPipeline(config, _market.Directory).Run(SmallMarket.AsOf));
        var message = e.InnerException?.Message ?? e.Message;
        Assert.Contains("$turnover (in TURN)", message, StringComparison.Ordinal);
    }

    public void Dispose() => _market.Dispose();
}
