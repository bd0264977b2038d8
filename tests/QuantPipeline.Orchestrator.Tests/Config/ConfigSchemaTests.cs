using System.Text.Json;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;

namespace QuantPipeline.Orchestrator.Tests.Config;

public sealed class ConfigSchemaTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    [Fact]
    public void Every_config_property_has_exactly_one_setting()
    {
        var properties = typeof(PipelineConfig).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Order().ToList();
        var mapped = PipelineConfigSchema.Settings.Select(s => s.Property.Name).Order().ToList();
        Assert.Equal(properties, mapped);
        Assert.Equal(PipelineConfigSchema.Settings.Count, PipelineConfigSchema.Settings.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public void The_canonical_json_holds_every_setting_under_its_lineage_name()
    {
        // Component settings at their default are left out, so that configurations from before they existed keep their hash.
        using var json = JsonDocument.Parse(LineageHashes.CanonicalConfig(new PipelineConfig()));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(PipelineConfigSchema.Settings.Select(s => s.JsonName).Where(n => !ComponentRules.OmittedWhenDefault.Contains(n)).Order(), names);
        Assert.Equal(20, ComponentRules.OmittedWhenDefault.Count);
        Assert.All(ComponentRules.OmittedWhenDefault, n => Assert.Contains(n, PipelineConfigSchema.Settings.Select(s => s.JsonName)));
    }

    [Fact]
    public void The_config_hash_changes_with_every_setting()
    {
        var baseline = LineageHashes.ConfigHash(new PipelineConfig());
        var hashes = new HashSet<string> { baseline };
        foreach (var setting in PipelineConfigSchema.Settings)
        {
            // A sequence length above 1 needs a model that reads sequences.
            var changed = setting.Key == "model.sequence_length" ? new PipelineConfig { ModelKind = "gru" } : new PipelineConfig();
            setting.Property.SetValue(changed, Other(setting, setting.Get(changed)));
            Assert.Empty(PipelineConfigSchema.Problems(changed));
            Assert.True(hashes.Add(LineageHashes.ConfigHash(changed)), $"changing {setting.Key} did not change the hash");
        }
    }

    [Fact]
    public void The_config_hash_ignores_key_order_whitespace_comments_and_spelling()
    {
        var a = PipelineConfigFile.Load(_files.Write("""
            model_name: alpha
            training:
              epochs: 3
              seed: 11
            model:
              hidden_layers: [32, 16]
            gate:
              min_rank_ic: 0.01
            """, "a.yaml"), [], ConfigFiles.NoEnvironment);
        var b = PipelineConfigFile.Load(_files.Write("""
            # the same settings, reordered and respelt
            gate: {min_rank_ic: 1.0e-2}

            model:
                hidden_layers:
                  - 32
                  - 16     # narrower than the default
            training_epochs: 3
            training:
                seed:   11
            model_name: "alpha"
            """, "b.yaml"), [], ConfigFiles.NoEnvironment);
        Assert.Equal(LineageHashes.ConfigHash(a), LineageHashes.ConfigHash(b));
        Assert.Equal(a, b);
        Assert.NotEqual(LineageHashes.ConfigHash(a), LineageHashes.ConfigHash(a with { Seed = 12 }));
    }

    [Fact]
    public void The_default_file_loads_back_to_exactly_the_defaults()
    {
        var text = DefaultConfigFile.Text();
        var loaded = PipelineConfigFile.Load(_files.Write(text), [], ConfigFiles.NoEnvironment);
        Assert.Equal(new PipelineConfig(), loaded);
        Assert.Equal(LineageHashes.ConfigHash(new PipelineConfig()), LineageHashes.ConfigHash(loaded));
        foreach (var setting in PipelineConfigSchema.Settings)
        {
            Assert.Contains($"{setting.Name}: ", text, StringComparison.Ordinal);
            Assert.Contains(setting.EnvironmentVariable, text, StringComparison.Ordinal);
        }

        Assert.Contains("\nmodel_name: \"qp_mlp_daily\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntraining:\n", text, StringComparison.Ordinal);
        Assert.Contains("\n  retrain:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Configurations_compare_by_value_including_the_layer_list()
    {
        var a = new PipelineConfig { HiddenLayers = [16, 8] };
        var b = new PipelineConfig { HiddenLayers = new List<int> { 16, 8 } };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { HiddenLayers = [16, 4] });
    }

    [Fact]
    public void Suggestions_come_from_edit_distance()
    {
        Assert.Equal(3, EditDistance.Levenshtein("kitten", "sitting"));
        Assert.Equal(0, EditDistance.Levenshtein("epochs", "epochs"));
        Assert.Equal(6, EditDistance.Levenshtein("", "epochs"));
        Assert.Equal("training.epochs", PipelineConfigSchema.Suggest("training.epoch"));
        Assert.Equal("model_registry_uri", PipelineConfigSchema.Suggest("model_registy_uri"));
        Assert.Equal("monitoring.retrain.decay_sessions", PipelineConfigSchema.Suggest("monitoring.retrain.decay_session"));
        Assert.Null(PipelineConfigSchema.Suggest("completely_unrelated_name"));
    }

    /// <summary>A valid value different from <paramref name="value"/>.</summary>
    private static object? Other(ConfigSetting setting, object? value) => setting.Key switch
    {
        "compute.backend" => "managed",
        "schedule.exchange" => "WEEKDAY",
        "retraining_frequency" => "weekly",
        "model_registry_uri" => "sqlite:///other.db",
        "features.set" => "alpha158",
        "features.transform" => "cs_rank",
        "labels.kind" => "qlib",
        "model.kind" => "ridge",
        "training.device" => "auto",
        "validation.scheme" => "purged_kfold",
        _ => value switch
        {
            null => 0.5,
            int i => i + 1,
            double d when setting.Key is "max_drawdown_threshold" => d - 0.05,
            double d when setting.Key.Contains("_warn", StringComparison.Ordinal) => d / 2,
            double d => d == 0 ? 0.01 : d * 1.1,
            bool b => !b,
            string s => s + "_x",
            IReadOnlyList<int> list => list.Append(4).ToArray(),
            _ => throw new InvalidOperationException(setting.Key),
        },
    };

    public void Dispose() => _files.Dispose();
}
