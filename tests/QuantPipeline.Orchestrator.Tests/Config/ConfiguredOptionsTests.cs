using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Training;

namespace QuantPipeline.Orchestrator.Tests.Config;

public sealed class ConfiguredOptionsTests
{
    private static readonly PipelineConfig Config = new()
    {
        HiddenLayers = [24, 12],
        TrainingEpochs = 5,
        TrainingBatchSize = 300,
        TrainingLearningRate = 0.004,
        TrainingWeightDecay = 0.02,
        Seed = 19,
        RetrainingFrequency = "quarterly",
        MonitoringDriftWindowSessions = 30,
        MonitoringDecayHistorySessions = 90,
        MonitoringRollingWindowSessions = 15,
        MonitoringMinRollingIc = 0.01,
        MonitoringMinRollingSharpe = -0.5,
        MonitoringCusumSlackSigmas = 0.25,
        MonitoringCusumThresholdSigmas = 6,
        MonitoringPageHinkleyDeltaSigmas = 0.3,
        MonitoringPageHinkleyLambdaSigmas = 7,
        MonitoringPsiWarn = 0.15,
        MonitoringPsiAlert = 0.35,
        MonitoringMissingRateChangeWarn = 0.1,
        MonitoringMissingRateChangeAlert = 0.3,
        MonitoringMaxNanShare = 0.25,
        MonitoringMaxAbsReturn = 0.5,
        MonitoringMaxUniverseShrink = 0.2,
        RetrainDriftPsiThreshold = 0.3,
        RetrainDriftMinFeatures = 3,
        RetrainDecayIcThreshold = -0.01,
        RetrainDecaySessions = 7,
        RetrainOnChangePoint = true,
    };

    [Fact]
    public void Training_options_come_from_the_model_and_training_sections()
    {
        var options = Config.Training();
        Assert.Equal([24, 12], options.Hidden);
        Assert.Equal((5, 300, 0.004, 0.02, 19), (options.Epochs, options.BatchSize, options.LearningRate, options.WeightDecay, options.Seed));
    }

    [Fact]
    public void Defaults_match_the_trainer_and_monitor_defaults()
    {
        var config = new PipelineConfig();
        var training = config.Training();
        Assert.Equal(new MlpTrainingOptions().Hidden, training.Hidden);
        Assert.Equal(new MlpTrainingOptions() with { Hidden = training.Hidden }, training);
        Assert.Equal(new MonitorOptions(), config.Monitor());
        Assert.Equal(new RetrainPolicy(), config.Retrain());
    }

    [Fact]
    public void Monitoring_options_and_retrain_policy_come_from_the_monitoring_section()
    {
        var sessions = new[] { new DateOnly(2024, 1, 2) };
        var monitor = Config.Monitor(sessions);
        Assert.Equal((30, 90, 15, 0.01, -0.5), (monitor.DriftWindowSessions, monitor.DecayHistorySessions, monitor.RollingWindowSessions, monitor.MinRollingIc, monitor.MinRollingSharpe));
        Assert.Equal((0.25, 6.0, 0.3, 7.0), (monitor.CusumSlackSigmas, monitor.CusumThresholdSigmas, monitor.PageHinkleyDeltaSigmas, monitor.PageHinkleyLambdaSigmas));
        Assert.Equal((0.15, 0.35, 0.1, 0.3), (monitor.Drift.PsiWarn, monitor.Drift.PsiAlert, monitor.Drift.MissingRateChangeWarn, monitor.Drift.MissingRateChangeAlert));
        Assert.Equal((0.25, 0.5, 0.2), (monitor.DataQuality.MaxNanShare, monitor.DataQuality.MaxAbsReturn, monitor.DataQuality.MaxUniverseShrink));
        Assert.Same(sessions, monitor.ExpectedSessions);
        var policy = Config.Retrain();
        Assert.Equal((0.3, 3, -0.01, 7, true, "quarterly"), (policy.DriftPsiThreshold, policy.DriftMinFeatures, policy.DecayIcThreshold, policy.DecaySessions, policy.RetrainOnChangePoint, policy.Schedule));
    }
}
