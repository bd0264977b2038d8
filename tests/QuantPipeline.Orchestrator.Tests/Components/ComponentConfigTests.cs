using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Tests.Config;

namespace QuantPipeline.Orchestrator.Tests.Components;

public sealed class ComponentConfigTests
{
    /// <summary>The default configuration's hash before the component settings were added (qp config, commit 52fd51e).</summary>
    private const string HashBeforeComponents = "beab9816f2a3a2ac7ca606f0b5384a84f4240d0a7922a2023c72ae5bcb58f0d6";

    private static PipelineConfig Load(params string[] sets) => PipelineConfigFile.Load(null, sets, ConfigFiles.NoEnvironment);

    [Fact]
    public void Defaults_keep_the_hash_they_had_before_components_existed()
    {
        Assert.Equal(HashBeforeComponents, LineageHashes.ConfigHash(new PipelineConfig()));
        // Naming a default explicitly is the same configuration.
        var explicitDefaults = Load("features.set=skeleton6", "features.transform=cs_zscore", "labels.kind=forward_return", "labels.horizon=1",
            "model.kind=mlp", "training.device=cpu", "validation.scheme=walk_forward", "validation.folds=5");
        Assert.Equal(HashBeforeComponents, LineageHashes.ConfigHash(explicitDefaults));
        Assert.True(ComponentRules.IsLegacy(explicitDefaults));
    }

    [Fact]
    public void A_chosen_component_changes_the_hash_and_reads_back_from_the_canonical_json()
    {
        var config = Load("features.set=alpha158", "model.kind=lightgbm", "model.num_leaves=31");
        Assert.NotEqual(HashBeforeComponents, LineageHashes.ConfigHash(config));
        Assert.False(ComponentRules.IsLegacy(config));
        var json = LineageHashes.CanonicalConfig(config);
        Assert.Contains("\"features_set\":\"alpha158\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("features_transform", json, StringComparison.Ordinal);
        var back = System.Text.Json.JsonSerializer.Deserialize<PipelineConfig>(json)!;
        Assert.Equal(config, back);
        Assert.Equal(31, back.ModelNumLeaves);
    }

    [Fact]
    public void An_unknown_model_names_the_key_and_every_registered_choice()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("model.kind=xgboost"));
        Assert.Contains("--set model.kind=xgboost", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.kind must be one of mlp, ridge, gru, lstm, transformer, lightgbm, got xgboost", e.Message, StringComparison.Ordinal);
        Assert.Equal(["mlp", "ridge", "gru", "lstm", "transformer", "lightgbm"], ComponentRegistry.Models.Names);
    }

    [Theory]
    [InlineData("features.set=alpha999", "features.set must be one of skeleton6, alpha158, alpha360, f8 or a path to a .yaml feature-set file")]
    [InlineData("features.transform=minmax", "features.transform must be one of cs_zscore, cs_rank, robust_zscore, none")]
    [InlineData("labels.kind=sharpe", "labels.kind must be one of forward_return, qlib")]
    [InlineData("validation.scheme=holdout", "validation.scheme must be one of walk_forward, purged_kfold, cpcv")]
    [InlineData("training.device=tpu", "training.device must be one of cpu, cuda, auto")]
    public void Each_unknown_component_names_its_key_and_choices(string set, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(set));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Incompatible_combinations_are_refused_with_the_keys_and_choices()
    {
        var sequence = Assert.Throws<ConfigurationException>(() => Load("model.kind=ridge", "model.sequence_length=10"));
        Assert.Contains("model.sequence_length is 10, but model.kind ridge reads one session per sample", sequence.Message, StringComparison.Ordinal);
        Assert.Contains("gru, lstm, transformer", sequence.Message, StringComparison.Ordinal);

        var heads = Assert.Throws<ConfigurationException>(() => Load("model.kind=transformer", "model.hidden_size=30", "model.heads=4"));
        Assert.Contains("model.heads (4) must divide model.hidden_size (30)", heads.Message, StringComparison.Ordinal);

        var cpcv = Assert.Throws<ConfigurationException>(() => Load("validation.scheme=cpcv", "validation.folds=3", "validation.test_folds=3"));
        Assert.Contains("validation.test_folds (3) must be less than validation.folds (3)", cpcv.Message, StringComparison.Ordinal);

        var device = Assert.Throws<ConfigurationException>(() => Load("model.kind=lightgbm", "training.device=cuda"));
        Assert.Contains("training.device cuda cannot train model.kind lightgbm", device.Message, StringComparison.Ordinal);

        // The same settings with a compatible partner load.
        Assert.Equal(10, Load("model.kind=gru", "model.sequence_length=10").ModelSequenceLength);
        Assert.Equal(2, Load("validation.scheme=cpcv", "validation.folds=6", "validation.test_folds=2").ValidationTestFolds);
    }

    [Fact]
    public void A_feature_set_file_path_is_accepted_by_its_extension()
    {
        Assert.Equal("sets/mine.yaml", Load("features.set=sets/mine.yaml").FeatureSet);
    }
}
