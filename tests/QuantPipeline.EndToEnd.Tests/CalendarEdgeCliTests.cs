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

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
