using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Monitoring;

/// <summary>Whether to retrain, and why (empty reasons when not).</summary>
public sealed record RetrainDecision(bool Retrain, IReadOnlyList<string> Reasons);

/// <summary>
/// When monitoring starts a retrain: drift (PSI at or above <see cref="DriftPsiThreshold"/> on at least
/// <see cref="DriftMinFeatures"/> features), decay (rolling IC below <see cref="DecayIcThreshold"/> for at least
/// <see cref="DecaySessions"/> consecutive sessions), a change point in the IC series (when enabled), or the
/// schedule (a new period since the production model's as-of). Any one suffices. Snake_case names in config files.
/// </summary>
public sealed record RetrainPolicy
{
    [JsonPropertyName("drift_psi_threshold")]
    public double DriftPsiThreshold { get; init; } = 0.2;

    /// <summary>k: how many features must drift at once.</summary>
    [JsonPropertyName("drift_min_features")]
    public int DriftMinFeatures { get; init; } = 2;

    [JsonPropertyName("decay_ic_threshold")]
    public double DecayIcThreshold { get; init; }

    /// <summary>n: consecutive sessions of decay before acting.</summary>
    [JsonPropertyName("decay_sessions")]
    public int DecaySessions { get; init; } = 10;

    [JsonPropertyName("retrain_on_change_point")]
    public bool RetrainOnChangePoint { get; init; }

    /// <summary>none | daily | weekly | monthly | quarterly.</summary>
    [JsonPropertyName("schedule")]
    public string Schedule { get; init; } = "monthly";

    public void Validate()
    {
        var problems = new List<string>();
        if (DriftPsiThreshold <= 0)
        {
            problems.Add($"drift_psi_threshold must be positive, got {DriftPsiThreshold}");
        }

        if (DriftMinFeatures < 1)
        {
            problems.Add($"drift_min_features must be at least 1, got {DriftMinFeatures}");
        }

        if (DecaySessions < 1)
        {
            problems.Add($"decay_sessions must be at least 1, got {DecaySessions}");
        }

        if (Schedule is not ("none" or "daily" or "weekly" or "monthly" or "quarterly"))
        {
            problems.Add($"schedule must be none, daily, weekly, monthly or quarterly, got '{Schedule}'");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid retrain policy: " + string.Join("; ", problems) + ".");
        }
    }

    public static RetrainPolicy Load(string path)
    {
        RetrainPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize<RetrainPolicy>(File.ReadAllText(path), new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Retrain policy {path}, line {e.LineNumber + 1}: {e.Message}", e);
        }

        policy ??= new RetrainPolicy();
        policy.Validate();
        return policy;
    }

    public RetrainDecision Decide(MonitoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Validate();
        var reasons = new List<string>();
        var drifted = result.Drift
            .Where(d => d.Name != MonitoringNames.Prediction && double.IsFinite(d.Psi) && d.Psi >= DriftPsiThreshold)
            .Select(d => d.Name)
            .ToList();
        if (drifted.Count >= DriftMinFeatures)
        {
            reasons.Add($"drift: PSI ≥ {DriftPsiThreshold} on {drifted.Count} features ({string.Join(", ", drifted)}), policy needs {DriftMinFeatures}");
        }

        var decay = result.Decay;
        var below = 0;
        for (var i = decay.RollingIc.Length - 1; i >= 0 && double.IsFinite(decay.RollingIc[i]) && decay.RollingIc[i] < DecayIcThreshold; i--)
        {
            below++;
        }

        if (below >= DecaySessions)
        {
            reasons.Add($"decay: rolling IC below {DecayIcThreshold} for {below} sessions, policy allows {DecaySessions - 1}");
        }

        if (RetrainOnChangePoint && decay.Cusum.Alarmed)
        {
            reasons.Add($"change point: CUSUM on the daily IC alarmed, change from about {decay.ChangeDate:yyyy-MM-dd}");
        }

        if (ScheduleDue(result.ModelAsOf, result.AsOf))
        {
            reasons.Add($"schedule: {Schedule} retrain due (production model as of {result.ModelAsOf:yyyy-MM-dd})");
        }

        return new RetrainDecision(reasons.Count > 0, reasons);
    }

    /// <summary>True when the as-of falls in a later period than the model's as-of.</summary>
    public bool ScheduleDue(DateOnly modelAsOf, DateOnly asOf) => Schedule switch
    {
        "daily" => asOf > modelAsOf,
        "weekly" => asOf.DayNumber - (int)asOf.DayOfWeek > modelAsOf.DayNumber - (int)modelAsOf.DayOfWeek,
        "monthly" => asOf.Year * 12 + asOf.Month > modelAsOf.Year * 12 + modelAsOf.Month,
        "quarterly" => asOf.Year * 4 + (asOf.Month - 1) / 3 > modelAsOf.Year * 4 + (modelAsOf.Month - 1) / 3,
        _ => false,
    };
}
