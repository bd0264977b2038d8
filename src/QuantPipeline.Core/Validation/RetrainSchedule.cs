namespace QuantPipeline.Core.Validation;

/// <summary>Retrain dates from a list of sessions: the first session of each day, week, month or quarter.</summary>
public static class RetrainSchedule
{
    /// <param name="sessions">Trading sessions, ascending (from any exchange calendar).</param>
    /// <param name="frequency">daily | weekly | monthly | quarterly (the configuration's retraining_frequency).</param>
    /// <param name="firstIndex">Index of the earliest session that may be a retrain date (e.g. training + validation sessions).</param>
    public static IReadOnlyList<DateOnly> Dates(IReadOnlyList<DateOnly> sessions, string frequency, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        Func<DateOnly, long> period = frequency switch
        {
            "daily" => d => d.DayNumber,
            // Weeks start on Monday; DayNumber 0 (0001-01-01) is a Monday.
            "weekly" => d => d.DayNumber / 7,
            "monthly" => d => d.Year * 12L + d.Month,
            "quarterly" => d => d.Year * 4L + (d.Month - 1) / 3,
            _ => throw new ArgumentException($"retraining_frequency must be daily, weekly, monthly or quarterly, got '{frequency}'.", nameof(frequency)),
        };
        var dates = new List<DateOnly>();
        for (var k = Math.Max(firstIndex, 0); k < sessions.Count; k++)
        {
            if (k == 0 || period(sessions[k]) != period(sessions[k - 1]))
            {
                dates.Add(sessions[k]);
            }
        }

        return dates;
    }
}
