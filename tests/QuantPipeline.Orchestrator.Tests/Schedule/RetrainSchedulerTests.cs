using QuantPipeline.Orchestrator.Schedule;

namespace QuantPipeline.Orchestrator.Tests.Schedule;

/// <summary>Retrain dates checked by hand against the NYSE holiday list of each year.</summary>
public sealed class RetrainSchedulerTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Monthly_2024_is_the_first_XNYS_session_of_each_month()
    {
        // Jan 1 (New Year) and the weekends of June 1–2, September 1 (+ Labor Day on the 2nd) and December 1 push the
        // first session later.
        Assert.Equal(
            [D(2024, 1, 2), D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1), D(2024, 6, 3),
             D(2024, 7, 1), D(2024, 8, 1), D(2024, 9, 3), D(2024, 10, 1), D(2024, 11, 1), D(2024, 12, 2)],
            RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 12, 31), "monthly", "XNYS"));
    }

    [Fact]
    public void Monthly_skips_an_observed_holiday_on_the_first_weekday()
    {
        // 2023-01-02 is New Year's Day observed (Jan 1 was a Sunday); October 1, 2022 was a Saturday.
        Assert.Equal(
            [D(2022, 7, 1), D(2022, 8, 1), D(2022, 9, 1), D(2022, 10, 3), D(2022, 11, 1), D(2022, 12, 1), D(2023, 1, 3)],
            RetrainScheduler.Dates(D(2022, 7, 1), D(2023, 1, 3), "monthly"));
    }

    [Fact]
    public void Monthly_from_the_calendars_first_date_is_one_date_per_month_and_begins_on_its_first_session()
    {
        var dates = RetrainScheduler.Dates(D(1990, 1, 1), D(2024, 12, 31), "monthly");
        Assert.Equal(35 * 12, dates.Count);
        // 1990-01-01 is New Year's Day; 1990-02-01 a Thursday; 2007-01-01 and -02 were closed (New Year, President Ford).
        Assert.Equal(D(1990, 1, 2), dates[0]);
        Assert.Equal(D(1990, 2, 1), dates[1]);
        Assert.Contains(D(2007, 1, 3), dates);
        Assert.Equal(D(2024, 12, 2), dates[^1]);
        // One per calendar month, each a weekday within the month's first four days (a Monday holiday after a weekend
        // pushes the first session to the 4th at the latest).
        Assert.Equal(dates.Count, dates.Select(d => (d.Year, d.Month)).Distinct().Count());
        Assert.All(dates, d => Assert.True(d.Day <= 4 && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), d.ToString("O")));
    }

    [Fact]
    public void A_range_past_the_calendars_rules_is_refused_naming_the_limits()
    {
        var early = Assert.ThrowsAny<ArgumentException>(() => RetrainScheduler.Dates(D(1989, 12, 1), D(1990, 3, 1), "monthly"));
        Assert.Contains("1990-01-01 to 2099-12-31", early.Message);
        var late = Assert.ThrowsAny<ArgumentException>(() => RetrainScheduler.Dates(D(2099, 11, 1), D(2100, 3, 1), "monthly"));
        Assert.Contains("2100-03-01 is after that", late.Message);
        Assert.Equal([D(2099, 11, 2), D(2099, 12, 1)], RetrainScheduler.Dates(D(2099, 11, 1), D(2099, 12, 31), "monthly"));
    }

    [Fact]
    public void A_range_starting_mid_month_does_not_make_its_first_session_a_retrain_date()
    {
        Assert.Equal([D(2024, 2, 1), D(2024, 3, 1)], RetrainScheduler.Dates(D(2024, 1, 15), D(2024, 3, 31), "monthly"));
        Assert.Equal([D(2024, 2, 1)], RetrainScheduler.Dates(D(2024, 2, 1), D(2024, 2, 29), "monthly"));
        Assert.Empty(RetrainScheduler.Dates(D(2024, 2, 2), D(2024, 2, 29), "monthly"));
    }

    [Fact]
    public void Daily_is_every_session_and_leaves_out_Good_Friday_Juneteenth_Independence_Day_Thanksgiving_and_Christmas()
    {
        var dates = RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 12, 31), "daily");
        // NYSE traded 252 sessions in 2024: 262 weekdays less 10 holidays on weekdays.
        Assert.Equal(252, dates.Count);
        foreach (var holiday in new[] { D(2024, 1, 1), D(2024, 1, 15), D(2024, 2, 19), D(2024, 3, 29), D(2024, 5, 27), D(2024, 6, 19), D(2024, 7, 4), D(2024, 9, 2), D(2024, 11, 28), D(2024, 12, 25) })
        {
            Assert.DoesNotContain(holiday, dates);
        }

        Assert.Contains(D(2024, 11, 29), dates); // the day after Thanksgiving is an (early-close) session
        Assert.All(dates, d => Assert.False(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
    }

    [Fact]
    public void Weekly_is_the_first_session_of_each_week_so_a_Monday_holiday_moves_it_to_Tuesday()
    {
        Assert.Equal(
            [D(2024, 1, 2), D(2024, 1, 8), D(2024, 1, 16), D(2024, 1, 22), D(2024, 1, 29)],
            RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 1, 31), "weekly"));
        // Good Friday 2024 (March 29) ends its week early but does not change the week's first session.
        Assert.Equal([D(2024, 3, 25), D(2024, 4, 1)], RetrainScheduler.Dates(D(2024, 3, 25), D(2024, 4, 5), "weekly"));
        // Juneteenth 2024 is a Wednesday; Memorial Day and Labor Day are Mondays.
        Assert.Equal([D(2024, 5, 28), D(2024, 6, 3), D(2024, 6, 10), D(2024, 6, 17), D(2024, 6, 24)], RetrainScheduler.Dates(D(2024, 5, 27), D(2024, 6, 28), "weekly"));
        Assert.Equal([D(2024, 9, 3)], RetrainScheduler.Dates(D(2024, 9, 1), D(2024, 9, 6), "weekly"));
        // Thanksgiving week: Monday is a session.
        Assert.Equal([D(2024, 11, 25)], RetrainScheduler.Dates(D(2024, 11, 25), D(2024, 11, 29), "weekly"));
    }

    [Fact]
    public void Quarterly_is_the_first_session_of_each_quarter()
    {
        Assert.Equal([D(2024, 1, 2), D(2024, 4, 1), D(2024, 7, 1), D(2024, 10, 1)], RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 12, 31), "quarterly"));
        // 2021: New Year's Day on a Friday; 2022: Jan 1 on a Saturday (not observed on the Friday before), and the
        // first session of Q2 2021 is April 1 (Good Friday was April 2).
        Assert.Equal([D(2021, 1, 4), D(2021, 4, 1), D(2021, 7, 1), D(2021, 10, 1), D(2022, 1, 3)], RetrainScheduler.Dates(D(2021, 1, 1), D(2022, 1, 31), "quarterly"));
    }

    [Fact]
    public void Unknown_frequency_exchange_and_reversed_ranges_are_explained()
    {
        var e = Assert.Throws<ArgumentException>(() => RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 12, 31), "fortnightly"));
        Assert.Contains("daily, weekly, monthly, quarterly", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrainScheduler.Dates(D(2024, 1, 1), D(2024, 12, 31), "monthly", "XABC"));
        Assert.Contains("XNYS", e.Message);
        e = Assert.Throws<ArgumentException>(() => RetrainScheduler.Dates(D(2024, 12, 31), D(2024, 1, 1), "monthly"));
        Assert.Contains("2024-01-01", e.Message);
    }
}
