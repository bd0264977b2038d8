namespace QuantPipeline.EndToEnd.Tests;

/// <summary>qp schedule, due and backfill at the first and last dates an exchange calendar's rules cover.</summary>
public sealed class CalendarEdgeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-calendar-edge-").FullName;

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Schedule_from_the_first_XNYS_date_prints_one_date_for_each_of_the_420_months()
    {
        var (exit, output, error) = QpProcess.Run("schedule", "--from", "1990-01-01", "--to", "2024-12-31", "--frequency", "monthly", "--exchange", "XNYS");
        Assert.True(exit == 0, error);
        var dates = Lines(output);
        Assert.Equal(420, dates.Length);
        Assert.Equal("1990-01-02", dates[0]);
        Assert.Equal("2024-12-02", dates[^1]);
        Assert.DoesNotContain("Unhandled", error);
    }

    [Theory]
    [InlineData("1989-12-01", "1990-02-28", "1989-12-01 is before that")]
    [InlineData("2099-12-01", "2100-01-31", "2100-01-31 is after that")]
    public void Schedule_past_the_calendar_names_its_limits_with_exit_code_2(string from, string to, string fragment)
    {
        var (exit, _, error) = QpProcess.Run("schedule", "--from", from, "--to", to);
        Assert.Equal(2, exit);
        Assert.Contains("error: XNYS calendar rules cover 1990-01-01 to 2099-12-31", error);
        Assert.Contains(fragment, error);
        Assert.DoesNotContain(" at ", error);
    }

    [Fact]
    public void Due_works_from_the_calendars_first_date_to_its_last_and_names_the_limits_past_them()
    {
        var (exit, output, error) = QpProcess.Run("due", "--from", "1990-01-01", "--as-of", "1990-03-31", "--workdir", _dir);
        Assert.True(exit == 0, error);
        Assert.Equal(["1990-01-02", "1990-02-01", "1990-03-01"], Lines(output));

        (exit, output, error) = QpProcess.Run("due", "--from", "2099-11-15", "--as-of", "2099-12-31", "--workdir", _dir);
        Assert.True(exit == 0, error);
        Assert.Equal(["2099-12-01"], Lines(output));

        (exit, _, error) = QpProcess.Run("due", "--from", "1989-06-01", "--as-of", "1990-03-31", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("1990-01-01 to 2099-12-31; 1989-06-01 is before that", error);

        (exit, _, error) = QpProcess.Run("due", "--from", "2099-11-15", "--as-of", "2100-01-05", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("1990-01-01 to 2099-12-31; 2100-01-05 is after that", error);
        Assert.DoesNotContain("Unhandled", error);
    }

    [Fact]
    public void Backfill_past_the_calendar_names_its_limits_with_exit_code_2()
    {
        var (exit, _, error) = QpProcess.Run("backfill", "--from", "2099-11-01", "--to", "2100-02-28", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("1990-01-01 to 2099-12-31; 2100-02-28 is after that", error);
        Assert.DoesNotContain("Unhandled", error);
    }

    [Fact]
    public void Backfill_from_the_calendars_first_date_starts_at_the_first_retrain_with_enough_history()
    {
        // 20 symbols of seeded random bars on every XNYS session of 1990, the calendar's first year.
        var file = Path.Combine(_dir, "bars_1990.csv");
        var text = new System.Text.StringBuilder("symbol,date,open,high,low,close,volume\n");
        var random = new Random(1990);
        var sessions = QuantPipeline.Core.Calendars.XnysCalendar.Instance.Sessions(new DateOnly(1990, 1, 1), new DateOnly(1990, 12, 31));
        for (var s = 0; s < 20; s++)
        {
            var close = 50.0;
            foreach (var d in sessions)
            {
                var open = close;
                close *= Math.Exp(0.03 * (random.NextDouble() - 0.5));
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"S{s:D2},{d:yyyy-MM-dd},{open:0.0000},{Math.Max(open, close) * 1.01:0.0000},{Math.Min(open, close) * 0.99:0.0000},{close:0.0000},{random.Next(1000, 9000)}\n");
            }
        }

        File.WriteAllText(file, text.ToString());
        var (exit, output, error) = QpProcess.Run("ingest", file, "--store", Path.Combine(_dir, "data", "market.duckdb"), "--add-symbols");
        Assert.True(exit == 0, output + error);

        // Lookback 20 + training 60 + validation 20 + 2 label sessions = 102 sessions before a retrain: 1990-01-02 and
        // 1990-04-02 (the 62nd session) have fewer, 1990-07-02 (the 125th) has enough.
        (exit, output, error) = QpProcess.Run(
            "backfill", "--from", "1990-01-01", "--to", "1990-09-28", "--frequency", "quarterly", "--workdir", _dir,
            "--set", "training_window_days=60", "--set", "validation_window_days=20", "--set", "training_epochs=2");
        Assert.True(exit == 0, output + error);
        Assert.Contains("1 quarterly retrains 1990-07-02..1990-07-02 (2 earlier retrain date(s) skipped: the XNYS calendar begins 1990-01-01 and a retrain needs 102 sessions before it)", error);
        Assert.Matches(@"(?m)^\s+1990-07-02\s+v1\s", output);
        Assert.Contains("out of sample 1990-07-02..1990-09-28 (63 sessions", output);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
