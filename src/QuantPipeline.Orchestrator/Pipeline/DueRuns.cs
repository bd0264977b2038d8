using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Validation;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Orchestrator.Pipeline;

/// <summary>Scheduled retrain dates up to an as-of, and which of them have no completed run yet.</summary>
public sealed record DueRuns(string Model, string Exchange, string Frequency, DateOnly From, DateOnly AsOf, IReadOnlyList<DateOnly> Scheduled, IReadOnlyList<DateOnly> Due)
{
    /// <summary>
    /// The retrain dates of <see cref="RetrainSchedule"/> on the configuration's exchange calendar and frequency, from
    /// <paramref name="from"/> (by default the first session with enough stored history for a run) to
    /// <paramref name="asOf"/>, less those with a completed run of this model and configuration in the working folder.
    /// </summary>
    public static DueRuns Find(PipelineConfig config, string workingDirectory, DateOnly asOf, DateOnly? from = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var calendar = ExchangeCalendars.Get(config.Exchange);
        IReadOnlyList<DateOnly> scheduled;
        DateOnly start;
        if (from is { } given)
        {
            start = given;
            // A week of earlier sessions lets the first date in range be compared with the session before it, so a
            // mid-month start is not mistaken for a month's first session.
            // The look-back stops where the calendar's rules begin; a --from before that fails naming the calendar's limits.
            var lookBack = given < calendar.FirstDate ? given : DateOnly.FromDayNumber(Math.Max(given.AddDays(-10).DayNumber, calendar.FirstDate.DayNumber));
            var sessions = calendar.Sessions(lookBack, asOf);
            scheduled = [.. RetrainSchedule.Dates(sessions, config.RetrainingFrequency).Where(d => d >= given)];
        }
        else
        {
            var storePath = Path.Combine(Path.GetFullPath(workingDirectory), config.MarketStorePath);
            if (!File.Exists(storePath))
            {
                throw new InvalidOperationException($"No market store at {storePath}, so the first date with enough history is unknown; ingest data first or give --from.");
            }

            using var store = MarketStore.Open(storePath, readOnly: true);
            var range = store.DailyDateRange()
                ?? throw new InvalidOperationException($"The market store {storePath} holds no daily bars; ingest data first or give --from.");
            var sessions = calendar.Sessions(range.First, asOf);
            // The first run needs the feature lookback, both windows and the label horizon (ModelInputs.SessionsNeeded).
            var firstIndex = ModelInputs.SessionsNeeded(config, Path.GetFullPath(workingDirectory)) - 1;
            start = firstIndex < sessions.Count ? sessions[firstIndex] : asOf;
            scheduled = RetrainSchedule.Dates(sessions, config.RetrainingFrequency, firstIndex);
        }

        var configHash = LineageHashes.ConfigHash(config);
        var completed = new HashSet<DateOnly>();
        foreach (var run in RunJournal.ReadAll(workingDirectory).Where(r => r.Completed && r.Model == config.ModelName && r.ConfigHash == configHash))
        {
            completed.Add(run.RequestedAsOf);
            if (run.AsOf is { } actual)
            {
                completed.Add(actual);
            }
        }

        return new DueRuns(config.ModelName, config.Exchange, config.RetrainingFrequency, start, asOf, scheduled, [.. scheduled.Where(d => !completed.Contains(d))]);
    }
}
