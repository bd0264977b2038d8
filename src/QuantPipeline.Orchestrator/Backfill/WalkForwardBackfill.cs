using System.Globalization;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Metrics;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Progress;
using QuantPipeline.Core.Validation;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Schedule;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>
/// Walk-forward backfill: at each scheduled retrain date the production pipeline runs as of that date (so a retrain
/// sees only data up to it), and the model in production afterwards scores every session until the next retrain
/// date, each session from its own point-in-time features. The windows follow <see cref="WalkForwardSplitter"/>
/// (validation before the retrain date, test from it until the next one), so the out-of-sample predictions tile the
/// period: stitched together they make one backtest with its metrics, series and HTML report.
/// </summary>
/// <remarks>
/// Retrains register one after another in date order, so version numbers follow the dates, wherever the training
/// runs: here by default, or ahead of time elsewhere through an <see cref="IBackfillRetrainer"/> (a cluster's silos
/// train up to validate, and the full run here reuses their stage outputs). The scoring of a finished
/// window runs in the background while the next retrain trains. A rerun reuses every version already registered for
/// a date under the same configuration and every window file already written, so a killed backfill redoes only what
/// is missing.
/// </remarks>
public sealed class WalkForwardBackfill(
    PipelineConfig config,
    string workingDirectory,
    IProgress<ProgressUpdate>? progress = null,
    Action<StageRecord>? onStageEnd = null,
    IBackfillRetrainer? retrainer = null)
{
    public const string ProgressTask = "backfill";

    public PipelineConfig Config { get; } = config;

    public string WorkingDirectory { get; } = Path.GetFullPath(workingDirectory);

    /// <summary>Per-retrain out-of-sample files of this model, shared by every backfill range in the working folder.</summary>
    public string WindowDirectory => Path.Combine(WorkingDirectory, "backfill", Config.ModelName, "oos");

    public BackfillResult Run(BackfillOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Config.Validate();
        var calendar = ExchangeCalendars.Get(Config.Exchange);
        var frequency = options.Frequency ?? Config.RetrainingFrequency;
        var scheduled = RetrainScheduler.Dates(options.From, options.To, frequency, calendar);
        if (scheduled.Count == 0)
        {
            throw new ArgumentException($"No {frequency} retrain date of {calendar.Name} falls in {options.From:yyyy-MM-dd}..{options.To:yyyy-MM-dd}; widen the range.", nameof(options));
        }

        scheduled = WithCalendarHistory(calendar, scheduled, frequency, out var skipped);
        var storePath = Path.Combine(WorkingDirectory, Config.MarketStorePath);
        var (evaluated, realised) = LoadRealised(storePath, calendar, scheduled[0], options.To);
        var dates = scheduled.Where(d => d <= evaluated[^1]).ToList();
        var windows = TestWindows(calendar, dates, evaluated);
        var outcomes = new RetrainOutcome[dates.Count];
        var scoring = new Task<IReadOnlyList<OosPrediction>>[dates.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxParallelism));
        var configHash = LineageHashes.ConfigHash(Config);
        var retrain = retrainer ?? new LocalBackfillRetrainer(Config, WorkingDirectory);
        retrain.Schedule(dates.Where(d => RegisteredFor(d, configHash) is null).ToList(), cancellationToken);
        int? deployed = null;
        progress?.Report(new ProgressUpdate(ProgressTask, 0, dates.Count, $"{dates.Count} {frequency} retrains {dates[0]:yyyy-MM-dd}..{dates[^1]:yyyy-MM-dd}{skipped}"));
        try
        {
            for (var k = 0; k < dates.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var date = dates[k];
                var version = RegisteredFor(date, configHash);
                var reused = version is not null;
                if (version is null)
                {
                    var run = retrain.Retrain(date, onStageEnd, progress, cancellationToken);
                    version = Version(run.Version);
                }

                var passed = version.Status == "approved";
                if (passed)
                {
                    deployed = version.Version;
                }

                var scorer = deployed is int d && d != version.Version ? Version(d) : version;
                var window = windows[k];
                outcomes[k] = new RetrainOutcome(
                    date,
                    version.Version,
                    passed,
                    version.Metrics.TryGetValue("sharpe", out var sharpe) ? sharpe : double.NaN,
                    scorer.Version,
                    window[0],
                    window[^1],
                    window.Count,
                    version.Parameters.TryGetValue("data_snapshot", out var snapshot) ? snapshot : string.Empty,
                    reused);
                scoring[k] = Task.Run(
                    () =>
                    {
                        slots.Wait(cancellationToken);
                        try
                        {
                            return ScoreWindow(scorer, date, window, storePath, cancellationToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    cancellationToken);
                progress?.Report(new ProgressUpdate(
                    ProgressTask,
                    k + 1,
                    dates.Count,
                    string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} v{version.Version} gate {(passed ? "pass" : "fail")}, validation Sharpe {outcomes[k].ValidationSharpe:0.00}{(reused ? " (reused)" : string.Empty)}")));
            }
        }
        finally
        {
            // Let running window scorers finish writing (or see the cancellation) before returning or throwing.
            try
            {
                Task.WaitAll(scoring.Where(t => t is not null).ToArray<Task>());
            }
            catch (AggregateException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }

        var predictions = scoring.Select(t => t.GetAwaiter().GetResult()).ToList();
        return Stitch(options, frequency, outcomes, predictions, evaluated, realised);
    }

    /// <summary>
    /// The scheduled dates from the first one with a retrain's history of calendar sessions before it: a range that starts
    /// at the calendar's first date (XNYS: 1990-01-01) begins with the first retrain the calendar can feed, instead of
    /// failing on a session before the rules begin. <paramref name="skipped"/> says what was left out, for the progress line.
    /// </summary>
    private List<DateOnly> WithCalendarHistory(IExchangeCalendar calendar, IReadOnlyList<DateOnly> scheduled, string frequency, out string skipped)
    {
        var history = ModelInputs.SessionsNeeded(Config);
        var sessions = calendar.Sessions(calendar.FirstDate, scheduled[0] > calendar.FirstDate ? scheduled[0] : calendar.FirstDate);
        skipped = string.Empty;
        if (sessions.Count > history)
        {
            return [.. scheduled];
        }

        // The first session with `history` sessions before it on the calendar (sessions are at least two days in seven).
        var possible = calendar.Sessions(calendar.FirstDate, calendar.FirstDate.AddDays(history * 4 + 30))[history];

        var kept = scheduled.Where(d => d >= possible).ToList();
        if (kept.Count == 0)
        {
            throw new ArgumentException(
                $"No {frequency} retrain date of {calendar.Name} up to {scheduled[^1]:yyyy-MM-dd} has the {history} sessions of history a retrain needs (feature lookback + training + validation windows + label sessions) since the calendar's rules begin on {calendar.FirstDate:yyyy-MM-dd}; the first possible retrain is on or after {possible:yyyy-MM-dd}. End the backfill later or shorten the windows.");
        }

        skipped = $" ({scheduled.Count - kept.Count} earlier retrain date(s) skipped: the {calendar.Name} calendar begins {calendar.FirstDate:yyyy-MM-dd} and a retrain needs {history} sessions before it)";
        return kept;
    }

    /// <summary>
    /// The sessions to evaluate (from the first retrain to the last session on or before <paramref name="to"/> whose
    /// next session is stored) and their realised next-session returns, [sessions, symbols]. Realised returns are
    /// known only afterwards, so they are adjusted for corporate actions as of the end of the range: a split or
    /// dividend on the next session does not show up as a return.
    /// </summary>
    private (IReadOnlyList<DateOnly> Sessions, Panel Realised) LoadRealised(string storePath, IExchangeCalendar calendar, DateOnly first, DateOnly to)
    {
        var last = calendar.IsSession(to) ? to : calendar.PreviousSession(to);
        var end = calendar.NextSession(last);
        Panel closes;
        using (var store = MarketStore.Open(storePath, readOnly: true))
        {
            closes = store.LoadPanel(new PanelRequest { From = first, To = end, Calendar = calendar.Name, Fields = ["close"], AdjustAsOf = end });
        }

        int t = closes.T, n = closes.N;
        var close = closes.Field("close");
        var lastWithBars = -1;
        for (var i = t - 1; i >= 0 && lastWithBars < 0; i--)
        {
            for (var j = 0; j < n; j++)
            {
                if (!float.IsNaN(close[i * n + j]))
                {
                    lastWithBars = i;
                    break;
                }
            }
        }

        if (lastWithBars < 2)
        {
            throw new InvalidOperationException(
                $"The market store {storePath} holds too few {calendar.Name} sessions from the first retrain date {first:yyyy-MM-dd} to {to:yyyy-MM-dd} to evaluate anything out of sample (a session needs the next session's bars for its return). Ingest bars up to {to:yyyy-MM-dd} or end the backfill earlier.");
        }

        var rows = lastWithBars;
        var sessions = closes.Timestamps.Take(rows).Select(DateOnly.FromDateTime).ToList();
        var panel = new Panel(closes.Timestamps.Take(rows).ToList(), closes.Symbols);
        var returns = panel.NewBuffer();
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < n; j++)
            {
                returns[i * n + j] = close[(i + 1) * n + j] / close[i * n + j] - 1f;
            }
        }

        panel.SetField("realised", returns);
        return (sessions, panel);
    }

    /// <summary>
    /// Each retrain's test sessions, from <see cref="WalkForwardSplitter"/> over the calendar: the retrain date up to the
    /// session before the next retrain (the last window runs to the last evaluated session). Its checks also reject a
    /// retrain date without the training and validation history before it.
    /// </summary>
    private List<IReadOnlyList<DateOnly>> TestWindows(IExchangeCalendar calendar, IReadOnlyList<DateOnly> dates, IReadOnlyList<DateOnly> evaluated)
    {
        var history = ModelInputs.SessionsNeeded(Config, WorkingDirectory);
        var before = calendar.SessionsEndingAt(calendar.PreviousSession(dates[0]), history);
        var sessions = before.Concat(evaluated).Append(calendar.NextSession(evaluated[^1])).ToList();
        var spans = Enumerable.Range(0, sessions.Count - 1).Select(i => new LabelSpan(i, i + 1)).ToArray();
        var splits = WalkForwardSplitter.Split(
            sessions,
            spans,
            dates,
            new WalkForwardOptions { TrainingSessions = Config.TrainingWindowDays, ValidationSessions = Config.ValidationWindowDays });
        return splits.Select(s => (IReadOnlyList<DateOnly>)s.Test.Select(i => sessions[spans[i].Start]).ToList()).ToList();
    }

    private ModelVersion? RegisteredFor(DateOnly date, string configHash)
    {
        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
        return registry.ListVersions(Config.ModelName)
            .Where(v => v.AsOf == date && v.Lineage?.ConfigHash == configHash)
            .OrderBy(v => v.Version)
            .FirstOrDefault();
    }

    /// <summary>What each retrain's monitor stage recorded for its version (the backfill report's PSI over time).</summary>
    private List<MonitorStageDrift?> RecordedDrift(IReadOnlyList<RetrainOutcome> outcomes)
    {
        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
        var recorded = MonitorStageDrift.ReadLatest(registry.Audit, Config.ModelName);
        return [.. outcomes.Select(o => recorded.GetValueOrDefault(o.Version))];
    }

    private ModelVersion Version(int version)
    {
        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, WorkingDirectory);
        return registry.GetVersion(Config.ModelName, version);
    }

    /// <summary>Scores each test session with <paramref name="scorer"/> on features loaded as known that session; reuses a finished window file.</summary>
    private IReadOnlyList<OosPrediction> ScoreWindow(ModelVersion scorer, DateOnly retrain, IReadOnlyList<DateOnly> window, string storePath, CancellationToken cancellationToken)
    {
        var path = OosWindowFile.PathFor(WindowDirectory, retrain, window[^1], scorer.Version);
        if (File.Exists(path))
        {
            return OosWindowFile.Read(path);
        }

        var config = BatchInference.ConfigOf(scorer);
        var predictions = new List<OosPrediction>();
        // The scorer is rebuilt from the components it recorded, and scores the inputs they define.
        using (var model = BatchInference.LoadPipelineModel(scorer))
        using (var store = MarketStore.Open(storePath, readOnly: true))
        {
            foreach (var session in window)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var panel = ModelInputs.LoadForPrediction(store, config, session, workingDirectory: WorkingDirectory).Panel;
                if (DateOnly.FromDateTime(panel.Timestamps[^1]) != session)
                {
                    continue;
                }

                var inputs = BatchInference.InputsOf(scorer, config, panel, WorkingDirectory);
                var scores = model.Predict(inputs, panel, panel.T - 1, panel.T - 1);
                for (var j = 0; j < panel.N; j++)
                {
                    if (float.IsFinite(scores[j]))
                    {
                        predictions.Add(new OosPrediction(session, panel.Symbols[j], scores[j]));
                    }
                }
            }
        }

        OosWindowFile.Write(path, predictions);
        return predictions;
    }

    private BackfillResult Stitch(
        BackfillOptions options,
        string frequency,
        IReadOnlyList<RetrainOutcome> outcomes,
        IReadOnlyList<IReadOnlyList<OosPrediction>> windows,
        IReadOnlyList<DateOnly> evaluated,
        Panel realisedPanel)
    {
        int t = evaluated.Count, n = realisedPanel.N;
        var row = evaluated.Select((d, i) => (d, i)).ToDictionary(p => p.d, p => p.i);
        var column = realisedPanel.Symbols.Select((s, j) => (s, j)).ToDictionary(p => p.s, p => p.j, StringComparer.Ordinal);
        var scores = new float[t * n];
        Array.Fill(scores, float.NaN);
        var scoredBy = new int[t];
        for (var k = 0; k < outcomes.Count; k++)
        {
            var outcome = outcomes[k];
            for (var i = row[outcome.TestFrom]; i <= row[outcome.TestTo]; i++)
            {
                if (scoredBy[i] != 0)
                {
                    throw new InvalidOperationException($"Session {evaluated[i]:yyyy-MM-dd} falls in two out-of-sample windows (v{scoredBy[i]} and v{outcome.PredictedBy}); the retrain dates overlap.");
                }

                scoredBy[i] = outcome.PredictedBy;
            }

            foreach (var p in windows[k])
            {
                if (p.Session < outcome.TestFrom || p.Session > outcome.TestTo || !row.TryGetValue(p.Session, out var i))
                {
                    throw new InvalidDataException($"The window file of the {outcome.Date:yyyy-MM-dd} retrain holds a prediction for {p.Session:yyyy-MM-dd}, outside its window {outcome.TestFrom:yyyy-MM-dd}..{outcome.TestTo:yyyy-MM-dd}; delete it and run the backfill again.");
                }

                if (column.TryGetValue(p.Symbol, out var j))
                {
                    scores[i * n + j] = p.Score;
                }
            }
        }

        var uncovered = Enumerable.Range(0, t).Where(i => scoredBy[i] == 0).Select(i => evaluated[i]).ToList();
        if (uncovered.Count > 0)
        {
            throw new InvalidOperationException($"{uncovered.Count} sessions have no out-of-sample window, the first {uncovered[0]:yyyy-MM-dd}.");
        }

        var realised = realisedPanel.Field("realised");
        var backtest = LongShortBacktest.Run(scores, realised, t, n, Config.BacktestQuantile, Config.BacktestCostBps);
        var ic = InformationCoefficient.PerBar(scores, realised, t, n);
        var rankIc = InformationCoefficient.RankPerBar(scores, realised, t, n);
        var grossExposure = backtest.LongCount.Select(c => c > 0 ? 1.0 : 0.0).ToArray();
        var report = MetricReport.Compute(
            backtest.NetReturns,
            new MetricOptions { PeriodsPerYear = PerformanceMetrics.DailyPeriodsPerYear, Dates = evaluated },
            backtest.Turnover,
            grossExposure,
            InformationCoefficient.Summarise(ic),
            InformationCoefficient.Summarise(rankIc));

        var output = options.OutputDirectory is { } o
            ? Path.GetFullPath(o)
            : Path.Combine(WorkingDirectory, "backfill", Config.ModelName, string.Create(CultureInfo.InvariantCulture, $"{options.From:yyyy-MM-dd}_{options.To:yyyy-MM-dd}"));
        Directory.CreateDirectory(output);
        var series = new BackfillSeries(evaluated, realisedPanel.Symbols, scores, realised, scoredBy, backtest, ic, rankIc);
        var predictionsCsv = series.WritePredictionsCsv(Path.Combine(output, "oos_predictions.csv"));
        var predictionsArrow = series.WritePredictionsArrow(Path.Combine(output, "oos_predictions.arrow"));
        var dailyCsv = series.WriteDailyCsv(Path.Combine(output, "oos_daily.csv"));
        var result = new BackfillResult(
            Config.ModelName, outcomes, evaluated, scoredBy, backtest.NetReturns, backtest.Turnover, ic, rankIc, report,
            output, predictionsCsv, predictionsArrow, dailyCsv, Path.Combine(output, "report.html"))
        {
            Drift = RecordedDrift(outcomes),
        };
        Reports.HtmlReportWriter.Write(BackfillReport.Build(Config, frequency, result), result.ReportPath);
        return result;
    }
}
