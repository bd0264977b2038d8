using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>qp init and configuration errors, as a user meets them.</summary>
public sealed class ConfigCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-config-cli-").FullName;

    [Fact]
    public void Init_writes_a_default_that_loads_back_and_refuses_to_overwrite_without_force()
    {
        var path = Path.Combine(_dir, "conf", "qp.yaml");
        var (exit, output, error) = QpProcess.Run("init", "--path", path);
        Assert.True(exit == 0, output + error);
        Assert.Contains(path, output);
        var loaded = PipelineConfigFile.Load(path, [], new Dictionary<string, string>());
        Assert.Equal(new PipelineConfig(), loaded);
        Assert.Equal(LineageHashes.ConfigHash(new PipelineConfig()), LineageHashes.ConfigHash(loaded));

        File.WriteAllText(path, "model_name: mine\n");
        (exit, _, error) = QpProcess.Run("init", "--path", path);
        Assert.Equal(2, exit);
        Assert.Contains("already exists; pass --force", error);
        Assert.Equal("model_name: mine\n", File.ReadAllText(path));

        (exit, _, _) = QpProcess.Run("init", "--path", path, "--force");
        Assert.Equal(0, exit);
        Assert.Equal(DefaultConfigFile.Text(), File.ReadAllText(path));
    }

    [Fact]
    public void A_bad_configuration_exits_2_listing_every_problem_with_its_place()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, "model_name: m\ntraining:\n  epochs: lots\n  lerning_rate: 0.1\n");
        var (exit, _, error) = QpProcess.Run("monitor", "--as-of", "2023-12-29", "--workdir", _dir, "--config", path, "--set", "backtest.quantile=0.9");
        Assert.Equal(2, exit);
        Assert.Contains("Invalid pipeline configuration (3 problems):", error);
        Assert.Contains("bad.yaml line 3, column 11: training.epochs: expected an integer, got 'lots'", error);
        Assert.Contains("bad.yaml line 4, column 3: unknown setting 'training.lerning_rate'; did you mean 'training.learning_rate'?", error);
        Assert.Contains("--set backtest.quantile=0.9: backtest.quantile must be in (0, 0.5], got 0.9", error);
    }

    [Fact]
    public void The_working_folders_qp_yaml_is_read_without_config()
    {
        File.WriteAllText(Path.Combine(_dir, "qp.yaml"), "model_name: from_workdir\n");
        var (exit, _, error) = QpProcess.Run("monitor", "--as-of", "2023-12-29", "--workdir", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("no approved version of 'from_workdir'", error);
    }

    [Fact]
    public void Config_prints_the_effective_settings_as_a_file_that_loads_back_and_their_hash()
    {
        var path = Path.Combine(_dir, "alpha.yaml");
        File.WriteAllText(path, "model_name: alpha\ntraining:\n  epochs: 3\n");
        var expected = new PipelineConfig { ModelName = "alpha", TrainingEpochs = 3, HiddenLayers = [16, 8] };
        var (exit, output, error) = QpProcess.Run("config", "--config", path, "--set", "model.hidden_layers=16,8");
        Assert.True(exit == 0, output + error);
        var printed = Path.Combine(_dir, "printed.yaml");
        File.WriteAllText(printed, output);
        Assert.Equal(expected, PipelineConfigFile.Load(printed, [], new Dictionary<string, string>()));
        Assert.Contains($"# config hash (sha256 of the canonical JSON): {LineageHashes.ConfigHash(expected)}", output);
        Assert.Contains("[QP_TRAINING__EPOCHS] (default 8)\n  epochs: 3\n", output.ReplaceLineEndings("\n"));

        (exit, output, error) = QpProcess.Run("config", "--config", path, "--set", "model.hidden_layers=16,8", "--json");
        Assert.True(exit == 0, output + error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(path, json.RootElement.GetProperty("file").GetString());
        Assert.Equal(LineageHashes.ConfigHash(expected), json.RootElement.GetProperty("config_hash").GetString());
        Assert.Equal(LineageHashes.CanonicalConfig(expected), QuantPipeline.Storage.Audit.CanonicalJson.Canonicalize(json.RootElement.GetProperty("config")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
