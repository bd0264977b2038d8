using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Tests.Runs;

public sealed class WindowsAndDueTests
{
    [Theory]
    [InlineData(300, 120, 60)]
    [InlineData(753, 476, 252)]
    public void Walk_forward_windows_purge_the_label_horizon_and_keep_the_configured_sample_counts(int t, int training, int validation)
    {
        var config = SmallMarket.Config with { TrainingWindowDays = training, ValidationWindowDays = validation };
        var sessions = QuantPipeline.Core.Calendars.XnysCalendar.Instance.Sessions(new DateOnly(2020, 1, 2), new DateOnly(2024, 12, 31)).Take(t).ToArray();
        var panel = new Panel([.. sessions.Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))], ["A"]);

        var windows = new ProductionPipeline(config, Path.GetTempPath()).Windows(panel);

        // By hand: the label at row i is the return from i to i+1. The last row (t-1) is the as-of, whose label is not
        // known yet; validation ends at t-2 (its label ends at the as-of) and holds `validation` rows; the training row
        // just before validation is purged (its label ends inside validation), so training ends at t-validation-3.
        Assert.Equal(t - 2, windows.ValidationEnd);
        Assert.Equal(t - 2 - validation + 1, windows.ValidationStart);
        Assert.Equal(training, windows.TrainRows.Length);
        Assert.Equal(windows.ValidationStart - 2, windows.TrainEnd);
        Assert.Equal(Enumerable.Range(windows.ValidationStart - 1 - training, training), windows.TrainRows);
        Assert.True(windows.TrainEnd + ProductionPipeline.LabelHorizon < windows.ValidationStart);
    }

    [Fact]
    public void Due_lists_the_first_session_of_each_month_on_XNYS_without_a_completed_run()
    {
        using var market = new SmallMarket();
        var config = SmallMarket.Config with { RetrainingFrequency = "monthly" };
        var before = DueRuns.Find(config, market.Directory, SmallMarket.AsOf, new DateOnly(2023, 9, 15));
        // 2023-10-02 is a Monday (Oct 1 a Sunday); 2023-11-01 and 2023-12-01 are weekdays without holidays.
        DateOnly[] scheduled = [new(2023, 10, 2), new(2023, 11, 1), new(2023, 12, 1)];
        Assert.Equal(scheduled, before.Scheduled);
        Assert.Equal(scheduled, before.Due);

        new ProductionPipeline(config, market.Directory).Run(new DateOnly(2023, 11, 1));
        // A run stopped early does not count as done.
        new ProductionPipeline(config, market.Directory).Run(new DateOnly(2023, 12, 1), new RunOptions { StopAfter = "features" });
        var after = DueRuns.Find(config, market.Directory, SmallMarket.AsOf, new DateOnly(2023, 9, 15));
        Assert.Equal([new DateOnly(2023, 10, 2), new DateOnly(2023, 12, 1)], after.Due);

        // From the store (bars from 2023-01-03): a run needs lookback 21 + training 120 + validation 60 + 2 = 203 sessions,
        // so the first retrain date is the first month start after the 203rd session, which falls in late October.
        var sessions = QuantPipeline.Core.Calendars.XnysCalendar.Instance.Sessions(new DateOnly(2023, 1, 3), SmallMarket.AsOf);
        Assert.Equal(10, sessions[202].Month);
        var fromStore = DueRuns.Find(config, market.Directory, SmallMarket.AsOf);
        Assert.Equal([new DateOnly(2023, 11, 1), new DateOnly(2023, 12, 1)], fromStore.Scheduled);
        Assert.Equal([new DateOnly(2023, 12, 1)], fromStore.Due);
    }
}
