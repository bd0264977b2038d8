using QuantPipeline.Orchestrator.Monitoring.Alerts;

namespace QuantPipeline.Orchestrator.Tests.Monitoring;

internal static class AlertTestData
{
    public static readonly DateTime Noon = new(2024, 5, 6, 12, 0, 0, DateTimeKind.Utc);

    public static Alert Drift(string feature = "vol_20", AlertSeverity severity = AlertSeverity.Critical, DateTime? raised = null) =>
        new(severity, "drift.psi", feature, $"PSI 0.412 ≥ 0.2 on {feature}", new DateOnly(2024, 5, 6), 0.412, 0.2, "m", 3, raised ?? Noon);
}
