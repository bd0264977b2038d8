using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Tests.Config;

public sealed class PipelineConfigFileTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    private PipelineConfig Load(string yaml, IReadOnlyList<string>? sets = null, IReadOnlyDictionary<string, string>? environment = null) =>
        PipelineConfigFile.Load(_files.Write(yaml), sets ?? [], environment ?? ConfigFiles.NoEnvironment);

    private ConfigurationException Fails(string yaml, IReadOnlyList<string>? sets = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<ConfigurationException>(() => Load(yaml, sets, environment));

    [Fact]
    public void Sections_set_the_pipeline_config_properties()
    {
        var config = Load("""
            model_name: alpha
            data:
              store: store/bars.duckdb
            labels:
              zscore_clip: 2.5
            model:
              hidden_layers: [32, 16, 8]
            training:
              epochs: 3
              batch_size: 256
              learning_rate: 0.01
              weight_decay: 0.0001
              seed: 42
            backtest:
              quantile: 0.2
              cost_bps: 7.5
            gate:
              min_rank_ic: 0.01
              max_turnover: 0.8
            monitoring:
              drift_window_sessions: 42
              psi_alert: 0.3
              retrain:
                decay_sessions: 4
                on_change_point: true
            compute:
              backend: managed
            schedule:
              exchange: WEEKDAY
            runs:
              retry_attempts: 2
            """);
        Assert.Equal("alpha", config.ModelName);
        Assert.Equal("store/bars.duckdb", config.MarketStorePath);
        Assert.Equal(2.5, config.LabelZScoreClip);
        Assert.Equal([32, 16, 8], config.HiddenLayers);
        Assert.Equal(3, config.TrainingEpochs);
        Assert.Equal(256, config.TrainingBatchSize);
        Assert.Equal(0.01, config.TrainingLearningRate);
        Assert.Equal(0.0001, config.TrainingWeightDecay);
        Assert.Equal(42, config.Seed);
        Assert.Equal(0.2, config.BacktestQuantile);
        Assert.Equal(7.5, config.BacktestCostBps);
        Assert.Equal(0.01, config.MinRankIc);
        Assert.Equal(0.8, config.MaxTurnover);
        Assert.Null(config.MinDeflatedSharpe);
        Assert.Equal(42, config.MonitoringDriftWindowSessions);
        Assert.Equal(0.3, config.MonitoringPsiAlert);
        Assert.Equal(4, config.RetrainDecaySessions);
        Assert.True(config.RetrainOnChangePoint);
        Assert.Equal("managed", config.ComputeBackend);
        Assert.Equal("WEEKDAY", config.Exchange);
        Assert.Equal(2, config.RetryAttempts);
        Assert.Equal(new PipelineConfig().RetryBaseDelayMs, config.RetryBaseDelayMs);
    }

    [Fact]
    public void Original_fields_are_read_at_the_top_level_and_under_their_section_spellings()
    {
        var top = Load("""
            model_name: m
            universe: sp500
            training_window_days: 500
            validation_window_days: 100
            retraining_frequency: weekly
            min_sharpe_threshold: 0.8
            max_drawdown_threshold: -0.2
            model_registry_uri: sqlite:///reg.db
            """);
        var sections = Load("""
            model_name: m
            universe:
              name: sp500
            training:
              window_days: 500
            validation:
              window_days: 100
            schedule:
              frequency: weekly
            gate:
              min_sharpe: 0.8
              max_drawdown: -0.2
            registry:
              uri: "sqlite:///reg.db"
            """);
        Assert.Equal(new PipelineConfig
        {
            ModelName = "m",
            Universe = "sp500",
            TrainingWindowDays = 500,
            ValidationWindowDays = 100,
            RetrainingFrequency = "weekly",
            MinSharpeThreshold = 0.8,
            MaxDrawdownThreshold = -0.2,
            ModelRegistryUri = "sqlite:///reg.db",
        }, top);
        Assert.Equal(top, sections);
    }

    [Fact]
    public void Flat_lineage_names_are_still_accepted()
    {
        var config = Load("training_epochs: 4\ncompute_backend: managed\nmin_rank_ic: 0.02\n", sets: ["backtest_cost_bps=1"]);
        Assert.Equal(4, config.TrainingEpochs);
        Assert.Equal("managed", config.ComputeBackend);
        Assert.Equal(0.02, config.MinRankIc);
        Assert.Equal(1.0, config.BacktestCostBps);
    }

    [Fact]
    public void A_misspelt_key_is_reported_with_its_line_column_and_the_nearest_setting()
    {
        var e = Fails("""
            model_name: m
            training:
              epochs: 3
              lerning_rate: 0.01
            """);
        var problem = Assert.Single(e.Problems);
        Assert.Equal("qp.yaml line 4, column 3", problem.Where);
        Assert.Contains("unknown setting 'training.lerning_rate'", problem.Message);
        Assert.Contains("did you mean 'training.learning_rate'?", problem.Message);
    }

    [Fact]
    public void A_key_in_the_wrong_section_suggests_where_it_belongs()
    {
        var e = Fails("epochs: 3\n");
        Assert.Contains("did you mean 'training.epochs'?", Assert.Single(e.Problems).Message);
        Assert.Equal("qp.yaml line 1, column 1", e.Problems[0].Where);
    }

    [Fact]
    public void A_misspelt_section_suggests_the_nearest_section()
    {
        var e = Fails("model_name: m\ntrainig:\n  epochs: 3\n");
        var problem = Assert.Single(e.Problems);
        Assert.Equal("qp.yaml line 2, column 1", problem.Where);
        Assert.Equal("unknown section 'trainig'; did you mean 'training'?", problem.Message);
    }

    [Fact]
    public void A_wrong_type_names_the_expected_type_and_where_the_value_is()
    {
        var e = Fails("""
            training:
              epochs: many
              learning_rate: "0.01"
            model:
              hidden_layers: [64, wide]
            compute:
              backend:
                name: gpu
            """);
        Assert.Equal(4, e.Problems.Count);
        Assert.Equal(("qp.yaml line 2, column 11", "training.epochs: expected an integer, got 'many'"), (e.Problems[0].Where, e.Problems[0].Message));
        Assert.Equal("qp.yaml line 3, column 18", e.Problems[1].Where);
        Assert.Contains("expected a number, got the quoted text \"0.01\" (remove the quotes)", e.Problems[1].Message);
        Assert.Equal("qp.yaml line 5, column 18", e.Problems[2].Where);
        Assert.Contains("item 2 is 'wide'", e.Problems[2].Message);
        Assert.Equal("qp.yaml line 8, column 5", e.Problems[3].Where);
        Assert.Contains("compute.backend: expected text, got a mapping", e.Problems[3].Message);
    }

    [Fact]
    public void Every_problem_is_listed_at_once_with_ranges_and_rules()
    {
        var e = Fails(
            """
            max_drawdown_threshold: 0.2
            training:
              epochs: 0
            backtest:
              quantile: 0.7
            monitoring:
              decay_history_sessions: 10
              rolling_window_sessions: 21
            compute:
              backend: cuda
            """,
            sets: ["gate.min_deflated_sharpe=1.5"]);
        var byWhere = e.Problems.ToDictionary(p => p.Where!, p => p.Message);
        Assert.Equal(6, e.Problems.Count);
        Assert.Equal("max_drawdown_threshold must be a negative fraction in [-1, 0] (e.g. -0.15), got 0.2", byWhere["qp.yaml line 1, column 25"]);
        Assert.Equal("training.epochs must be in [1, 10000], got 0", byWhere["qp.yaml line 3, column 11"]);
        Assert.Equal("backtest.quantile must be in (0, 0.5], got 0.7", byWhere["qp.yaml line 5, column 13"]);
        Assert.Equal("monitoring.decay_history_sessions (10) must be at least monitoring.rolling_window_sessions (21)", byWhere["qp.yaml line 7, column 27"]);
        Assert.Equal("compute.backend must be one of auto, managed, native, gpu, got cuda", byWhere["qp.yaml line 10, column 12"]);
        Assert.Equal("gate.min_deflated_sharpe must be a probability in [0, 1], got 1.5", byWhere["--set gate.min_deflated_sharpe=1.5"]);
        Assert.StartsWith("Invalid pipeline configuration (6 problems):", e.Message);
    }

    [Fact]
    public void Overrides_apply_in_order_defaults_file_environment_set()
    {
        const string yaml = "training:\n  epochs: 3\n  batch_size: 128\n  seed: 5\n";
        var environment = new Dictionary<string, string>
        {
            ["QP_TRAINING__EPOCHS"] = "4",
            ["QP_TRAINING__BATCH_SIZE"] = "64",
            ["QP_MODEL_NAME"] = "from_env",
            ["QP_REQUIRE_POSTGRES"] = "1", // another tool's variable: left alone
        };
        var config = Load(yaml, sets: ["training.epochs=6"], environment: environment);
        Assert.Equal(6, config.TrainingEpochs); // --set beats environment and file
        Assert.Equal(64, config.TrainingBatchSize); // environment beats file
        Assert.Equal(5, config.Seed); // file beats default
        Assert.Equal("from_env", config.ModelName);
        Assert.Equal(new PipelineConfig().TrainingLearningRate, config.TrainingLearningRate);
    }

    [Fact]
    public void Optional_rules_can_be_switched_off_and_lists_set_from_text()
    {
        var config = Load("gate:\n  min_rank_ic: 0.05\n", sets: ["gate.min_rank_ic=null", "model.hidden_layers=16,8"], environment: new Dictionary<string, string> { ["QP_GATE__MAX_TURNOVER"] = "0.5" });
        Assert.Null(config.MinRankIc);
        Assert.Equal(0.5, config.MaxTurnover);
        Assert.Equal([16, 8], config.HiddenLayers);
    }

    [Fact]
    public void Misspelt_environment_variables_and_overrides_are_errors_with_suggestions()
    {
        var e = Fails("", sets: ["training.epoch=3", "seed", "model_name="], environment: new Dictionary<string, string> { ["QP_TRAINING__EPOHCS"] = "3", ["QP_TRAINING__SEED"] = "x" });
        var byWhere = e.Problems.ToDictionary(p => p.Where!, p => p.Message);
        Assert.Equal("unknown setting QP_TRAINING__EPOHCS; did you mean QP_TRAINING__EPOCHS?", byWhere["environment variable QP_TRAINING__EPOHCS"]);
        Assert.Equal("training.seed: expected an integer, got 'x'", byWhere["environment variable QP_TRAINING__SEED"]);
        Assert.Equal("unknown setting 'training.epoch'; did you mean 'training.epochs'?", byWhere["--set training.epoch=3"]);
        Assert.Contains("expected section.key=value", byWhere["--set seed"]);
        Assert.Equal("model_name: expected text, got an empty value", byWhere["--set model_name="]);
    }

    [Fact]
    public void A_setting_given_twice_in_the_file_is_an_error()
    {
        var e = Fails("training_window_days: 300\ntraining:\n  window_days: 400\n");
        var problem = Assert.Single(e.Problems);
        Assert.Equal("qp.yaml line 3, column 3", problem.Where);
        Assert.Contains("sets training_window_days a second time (first at qp.yaml line 1, column 23)", problem.Message);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_position()
    {
        var e = Fails("training:\n  epochs: [3\n");
        Assert.StartsWith("qp.yaml line ", Assert.Single(e.Problems).Where);
        Assert.Contains("not valid YAML", e.Problems[0].Message);
    }

    [Fact]
    public void An_empty_file_or_no_file_gives_the_defaults()
    {
        Assert.Equal(new PipelineConfig(), Load("# nothing here\n"));
        Assert.Equal(new PipelineConfig(), PipelineConfigFile.Load(null, [], ConfigFiles.NoEnvironment));
    }

    [Fact]
    public void A_missing_file_says_how_to_write_one()
    {
        var e = Assert.Throws<FileNotFoundException>(() => PipelineConfigFile.Load("/nonexistent/qp.yaml", [], ConfigFiles.NoEnvironment));
        Assert.Contains("qp init", e.Message);
    }

    public void Dispose() => _files.Dispose();
}
