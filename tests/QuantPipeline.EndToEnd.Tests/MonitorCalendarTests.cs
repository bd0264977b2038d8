using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>The monitor's stale-data check expects the sessions of the configured exchange: a holiday is not a gap.</summary>
public sealed class MonitorCalendarTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-monitor-calendar-").FullName;

    [Fact]
    public void Christmas_is_no_missing_session_on_xnys_but_is_one_on_the_weekday_calendar()
    {
        // The single-run demo: XNYS bars up to 2023-12-29, so the monitor's window holds Monday 2023-12-25 (closed).
        var run = new ProductionPipeline(SingleRunDemo.Config, _dir).RunDemo(SingleRunDemo.Market);
        Assert.True(run.Gate.Passed);

        var xnys = new ModelMonitor(SingleRunDemo.Config, _dir).Run(run.AsOf);
        Assert.Equal("XNYS", SingleRunDemo.Config.Exchange);
        Assert.Empty(xnys.DataQuality.MissingSessions);

        var weekdays = new ModelMonitor(SingleRunDemo.Config with { Exchange = "WEEKDAY" }, _dir).Run(run.AsOf);
        Assert.Contains(new DateOnly(2023, 12, 25), weekdays.DataQuality.MissingSessions);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file: the temp folder is left for the OS to clean.
        }
    }
}
