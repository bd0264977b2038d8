using QuantPipeline.Core.Monitoring;
using QuantPipeline.Orchestrator.Monitoring;

namespace QuantPipeline.Orchestrator.Tests.Monitoring;

public sealed class RetrainPolicyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-policy-").FullName;

    private static DriftFigures Drift(string name, double psi) =>
        new(name, 100, psi, new DriftThresholds().PsiLevel(psi), 0.1, 0.5, 0.1, 0, 0, 0, DriftLevel.Ok);

    private static MonitoringResult Result(double[] psi, double[] rollingIc, DateOnly modelAsOf, DateOnly asOf, bool changePoint = false, double predictionPsi = 0)
    {
        var noChange = new ChangeDetection(null, null, new double[rollingIc.Length]);
        var decay = new DecayFigures(
            [.. Enumerable.Range(0, rollingIc.Length).Select(i => asOf.AddDays(i - rollingIc.Length))],
            rollingIc, rollingIc, new double[rollingIc.Length], rollingIc, new double[rollingIc.Length],
            0, 0, 0, 0.03, 0.1, 1.5, 0,
            changePoint ? new ChangeDetection(3, 1, new double[rollingIc.Length]) : noChange,
            noChange,
            changePoint ? asOf.AddDays(-3) : null);
        var drift = psi.Select((p, f) => Drift($"f{f}", p)).Append(Drift(MonitoringNames.Prediction, predictionPsi)).ToList();
        var quality = new DataQualityReport([], asOf, asOf, 10, 10, false, [], []);
        return new MonitoringResult("m", 1, modelAsOf, asOf, asOf, asOf, drift, decay, quality, []);
    }

    private static readonly DateOnly Model = new(2024, 3, 28);
    private static readonly DateOnly SameMonth = new(2024, 3, 29);

    [Fact]
    public void Drift_retrains_only_when_at_least_k_features_cross_the_threshold()
    {
        var policy = new RetrainPolicy { DriftPsiThreshold = 0.2, DriftMinFeatures = 2, Schedule = "none" };
        double[] quiet = [0.05, 0.05, 0.05, 0.05, 0.05];
        Assert.False(policy.Decide(Result([0.3, 0.19, 0.05], quiet, Model, SameMonth)).Retrain);
        // The prediction drifting does not count as a feature.
        Assert.False(policy.Decide(Result([0.3, 0.1, 0.05], quiet, Model, SameMonth, predictionPsi: 0.9)).Retrain);
        var decision = policy.Decide(Result([0.3, 0.2, 0.05], quiet, Model, SameMonth));
        Assert.True(decision.Retrain);
        Assert.Contains("f0, f1", Assert.Single(decision.Reasons));
    }

    [Fact]
    public void Decay_retrains_after_n_consecutive_sessions_below_the_threshold()
    {
        var policy = new RetrainPolicy { DecayIcThreshold = 0.0, DecaySessions = 3, Schedule = "none" };
        Assert.False(policy.Decide(Result([0.0], [0.02, -0.01, -0.02, 0.01, -0.01, -0.03], Model, SameMonth)).Retrain); // only 2 at the end
        Assert.True(policy.Decide(Result([0.0], [0.02, 0.01, -0.01, -0.02, -0.03], Model, SameMonth)).Retrain);
        Assert.False(policy.Decide(Result([0.0], [0.02, 0.01, -0.01, -0.02, double.NaN], Model, SameMonth)).Retrain);
    }

    [Fact]
    public void Change_point_retrains_only_when_enabled()
    {
        double[] quiet = [0.05, 0.05];
        Assert.False(new RetrainPolicy { Schedule = "none" }.Decide(Result([0.0], quiet, Model, SameMonth, changePoint: true)).Retrain);
        Assert.True(new RetrainPolicy { Schedule = "none", RetrainOnChangePoint = true }.Decide(Result([0.0], quiet, Model, SameMonth, changePoint: true)).Retrain);
    }

    [Theory]
    [InlineData("daily", "2024-03-28", "2024-03-28", false)]
    [InlineData("daily", "2024-03-28", "2024-03-29", true)]
    [InlineData("weekly", "2024-03-25", "2024-03-29", false)] // Monday and Friday of one week
    [InlineData("weekly", "2024-03-29", "2024-04-01", true)] // Friday, then the next Monday
    [InlineData("monthly", "2024-03-01", "2024-03-29", false)]
    [InlineData("monthly", "2024-03-29", "2024-04-01", true)]
    [InlineData("monthly", "2023-12-29", "2024-01-02", true)]
    [InlineData("quarterly", "2024-01-02", "2024-03-29", false)]
    [InlineData("quarterly", "2024-03-29", "2024-04-01", true)]
    [InlineData("none", "2020-01-01", "2024-04-01", false)]
    public void Schedule_is_due_in_a_later_period_than_the_model(string schedule, string model, string asOf, bool due)
    {
        Assert.Equal(due, new RetrainPolicy { Schedule = schedule }.ScheduleDue(DateOnly.Parse(model, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Policy_loads_from_a_snake_case_file_and_rejects_unknown_keys_and_bad_values()
    {
        var path = Path.Combine(_dir, "policy.json");
        File.WriteAllText(path, """{ "drift_psi_threshold": 0.25, "drift_min_features": 3, "decay_ic_threshold": -0.01, "decay_sessions": 7, "retrain_on_change_point": true, "schedule": "weekly" }""");
        Assert.Equal(new RetrainPolicy { DriftPsiThreshold = 0.25, DriftMinFeatures = 3, DecayIcThreshold = -0.01, DecaySessions = 7, RetrainOnChangePoint = true, Schedule = "weekly" }, RetrainPolicy.Load(path));

        File.WriteAllText(path, """{ "drift_psi": 0.25 }""");
        Assert.Contains("policy.json", Assert.Throws<InvalidDataException>(() => RetrainPolicy.Load(path)).Message);
        File.WriteAllText(path, """{ "schedule": "hourly", "drift_min_features": 0 }""");
        var e = Assert.Throws<ArgumentException>(() => RetrainPolicy.Load(path));
        Assert.Contains("hourly", e.Message);
        Assert.Contains("drift_min_features", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
