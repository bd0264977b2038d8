using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Progress;
using Spectre.Console;

namespace QuantPipeline.EndToEnd.Tests;

public sealed class ProgressOutputTests
{
    [Fact]
    public void Eta_extrapolates_the_rate_so_far()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), ProgressEta.Remaining(TimeSpan.FromSeconds(5), 25, 100)); // 5 s × 75/25
        Assert.Equal(TimeSpan.FromMinutes(90), ProgressEta.Remaining(TimeSpan.FromMinutes(30), 1, 4));
        Assert.Equal(TimeSpan.Zero, ProgressEta.Remaining(TimeSpan.FromSeconds(5), 100, 100));
        Assert.Null(ProgressEta.Remaining(TimeSpan.FromSeconds(5), 0, 100));
        Assert.Null(ProgressEta.Remaining(TimeSpan.FromSeconds(5), 10, 0));
        Assert.Equal("1:05", ProgressEta.Format(TimeSpan.FromSeconds(65)));
        Assert.Equal("2:03:04", ProgressEta.Format(new TimeSpan(2, 3, 4)));
    }

    [Fact]
    public void Plain_progress_writes_a_line_at_start_every_interval_and_at_the_end()
    {
        var clock = new ManualClock();
        using var output = new StringWriter();
        var progress = new PlainProgress(output, clock, TimeSpan.FromSeconds(2));
        progress.Report(new ProgressUpdate("ingest", 0, 100, "2 files"));
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(new ProgressUpdate("ingest", 10, 100)); // within the interval: no line
        progress.Report(new ProgressUpdate("train", 3, 0, "epoch 3")); // another task, unknown total: its own first line
        clock.Advance(TimeSpan.FromSeconds(4));
        progress.Report(new ProgressUpdate("ingest", 25, 100, "a.csv"));
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(new ProgressUpdate("ingest", 100, 100, "b.csv")); // the end is always written
        Assert.Equal(
            [
                "[ingest] 0/100 (0%) - 2 files",
                "[train] 3 - epoch 3",
                "[ingest] 25/100 (25%), 0:05 elapsed, ETA 0:15 - a.csv",
                "[ingest] 100/100 (100%), done in 0:06 - b.csv",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Plain_progress_starts_a_task_over_when_its_count_goes_back()
    {
        // Training in each retrain of a backfill: the second round gets its own first line and its own clock for the ETA.
        var clock = new ManualClock();
        using var output = new StringWriter();
        var progress = new PlainProgress(output, clock, TimeSpan.FromSeconds(2));
        progress.Report(new ProgressUpdate("train", 0, 1000, "epoch 1/2"));
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Report(new ProgressUpdate("train", 1000, 1000, "epoch 2/2, loss 0.9"));
        clock.Advance(TimeSpan.FromSeconds(30)); // validation, registration … of the first retrain
        progress.Report(new ProgressUpdate("train", 0, 1000, "epoch 1/2"));
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(new ProgressUpdate("train", 100, 1000, "epoch 1/2")); // within the interval of the new first line
        clock.Advance(TimeSpan.FromSeconds(3));
        progress.Report(new ProgressUpdate("train", 500, 1000, "epoch 1/2"));
        Assert.Equal(
            [
                "[train] 0/1,000 (0%) - epoch 1/2",
                "[train] 1,000/1,000 (100%), done in 0:10 - epoch 2/2, loss 0.9",
                "[train] 0/1,000 (0%) - epoch 1/2",
                "[train] 500/1,000 (50%), 0:04 elapsed, ETA 0:04 - epoch 1/2",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void A_bar_whose_count_goes_back_is_replaced_by_a_fresh_one_in_its_place()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Progress().Columns(new TaskDescriptionColumn(), new PercentageColumn()).Start(context =>
        {
            var progress = new SpectreProgress(context);
            progress.Report(new ProgressUpdate("backfill", 0, 3, "3 retrains"));
            progress.Report(new ProgressUpdate("train", 1000, 1000, "epoch 2/2"));
            var first = progress.Bars["train"];
            Assert.True(first.IsFinished);
            progress.Report(new ProgressUpdate("train", 100, 1000, "epoch 1/2"));
            var second = progress.Bars["train"];
            Assert.NotSame(first, second);
            Assert.Equal((100.0, 1000.0, false), (second.Value, second.MaxValue, second.IsFinished));
            progress.Report(new ProgressUpdate("train", 400, 1000, "epoch 1/2"));
            Assert.Same(second, progress.Bars["train"]); // counting up keeps the bar
            progress.Report(new ProgressUpdate("backfill", 1, 3, "2025-10-01"));
            Assert.Equal(1.0, progress.Bars["backfill"].Value);
        });
    }

    [Fact]
    public void Bars_follow_the_updates_of_each_task()
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Progress().Columns(new TaskDescriptionColumn(), new PercentageColumn()).Start(context =>
        {
            var progress = new SpectreProgress(context);
            progress.Report(new ProgressUpdate("ingest", 0, 4, "a.csv"));
            progress.Report(new ProgressUpdate("ingest", 2, 4, "b.csv"));
            var ingest = progress.Bars["ingest"];
            Assert.Equal((2.0, 4.0, 50.0, false), (ingest.Value, ingest.MaxValue, ingest.Percentage, ingest.IsFinished));
            progress.Report(new ProgressUpdate("ingest", 4, 4, "c.csv"));
            Assert.True(ingest.IsFinished);
            Assert.Equal("ingest: c.csv", ingest.Description);
            progress.Report(new ProgressUpdate("train", 3, 0, "epoch 3"));
            var train = progress.Bars["train"];
            Assert.True(train.IsIndeterminate);
            Assert.False(train.IsFinished); // an unknown total never completes the bar
            Assert.Equal("train (3): epoch 3", train.Description);
            Assert.False(context.IsFinished);
        });
        Assert.Contains("train (3): epoch 3", output.ToString());
    }
}
