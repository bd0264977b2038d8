using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Training;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>The options of the trainer and of monitoring that a configuration sets.</summary>
public static class ConfiguredOptions
{
    /// <summary>The MLP trainer's options: layers, epochs, batch size, learning rate, weight decay and seed.</summary>
    public static MlpTrainingOptions Training(this PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MlpTrainingOptions
        {
            Hidden = [.. config.HiddenLayers],
            Epochs = config.TrainingEpochs,
            BatchSize = config.TrainingBatchSize,
            LearningRate = config.TrainingLearningRate,
            WeightDecay = config.TrainingWeightDecay,
            Seed = config.Seed,
        };
    }

    /// <summary>qp monitor's windows and bounds (the expected sessions come from the caller).</summary>
    public static MonitorOptions Monitor(this PipelineConfig config, IReadOnlyList<DateOnly>? expectedSessions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MonitorOptions
        {
            DriftWindowSessions = config.MonitoringDriftWindowSessions,
            DecayHistorySessions = config.MonitoringDecayHistorySessions,
            RollingWindowSessions = config.MonitoringRollingWindowSessions,
            MinRollingIc = config.MonitoringMinRollingIc,
            MinRollingSharpe = config.MonitoringMinRollingSharpe,
            CusumSlackSigmas = config.MonitoringCusumSlackSigmas,
            CusumThresholdSigmas = config.MonitoringCusumThresholdSigmas,
            PageHinkleyDeltaSigmas = config.MonitoringPageHinkleyDeltaSigmas,
            PageHinkleyLambdaSigmas = config.MonitoringPageHinkleyLambdaSigmas,
            Drift = new DriftThresholds
            {
                PsiWarn = config.MonitoringPsiWarn,
                PsiAlert = config.MonitoringPsiAlert,
                MissingRateChangeWarn = config.MonitoringMissingRateChangeWarn,
                MissingRateChangeAlert = config.MonitoringMissingRateChangeAlert,
            },
            DataQuality = new DataQualityThresholds
            {
                MaxNanShare = config.MonitoringMaxNanShare,
                MaxAbsReturn = config.MonitoringMaxAbsReturn,
                MaxUniverseShrink = config.MonitoringMaxUniverseShrink,
            },
            ExpectedSessions = expectedSessions,
        };
    }

    /// <summary>When monitoring starts a retrain; the schedule is the retraining frequency.</summary>
    public static RetrainPolicy Retrain(this PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RetrainPolicy
        {
            DriftPsiThreshold = config.RetrainDriftPsiThreshold,
            DriftMinFeatures = config.RetrainDriftMinFeatures,
            DecayIcThreshold = config.RetrainDecayIcThreshold,
            DecaySessions = config.RetrainDecaySessions,
            RetrainOnChangePoint = config.RetrainOnChangePoint,
            Schedule = config.RetrainingFrequency,
        };
    }
}
