using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Monitoring;
using QuantPipeline.Orchestrator.Monitoring.Alerts;
using QuantPipeline.Orchestrator.Monitoring.Audit;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Reports;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp monitor</c>: drift, decay and data quality of the production model at a date, with alerts.</summary>
public static class MonitorCommand
{
    public static Command Create()
    {
        var asOf = new Option<string?>("--as-of")
        {
            Description = "Session to monitor (yyyy-MM-dd). Data and model versions after it are not used. Default: the last session with daily bars in the market store.",
        };
        var config = new ConfigOptions(defaultWorkdir: "qp-demo");
        config.Workdir.Description = "Pipeline working folder (market store, registry, artifacts). Monitoring files go to its monitoring/ folder.";
        var json = new Option<bool>("--json") { Description = "Print the figures, alerts and retrain decision as one JSON document." };
        var webhook = new Option<Uri?>("--webhook") { Description = "Also POST every alert as JSON to this URL (5 s timeout, 4 tries with exponential backoff)." };
        var retrain = new Option<bool>("--retrain") { Description = "When the retrain policy says so, run the pipeline for the as-of; the new version deploys only if it passes the gate." };
        var sessions = new Option<FileInfo?>("--sessions") { Description = "Expected trading sessions, one yyyy-MM-dd date per line (a market calendar's sessions); the configured exchange's sessions (schedule.exchange) when left out." };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the monitoring report (HTML: PSI over time per feature, realised IC and Rank IC over time, live equity and drawdown, drift table, alerts) to this file." };
        var policy = new Option<FileInfo?>("--policy") { Description = "Retrain policy JSON (drift_psi_threshold, drift_min_features, decay_ic_threshold, decay_sessions, retrain_on_change_point, schedule); replaces the configuration's monitoring.retrain section." };
        var command = new Command(
            "monitor",
            """
            Drift, decay, data quality and alerts for the production model at a date.
            Monitors the production model (the production alias, or the latest approved version trained by the date) at a date: PSI, KS and Jensen–Shannon drift of
            every feature and of the predictions against the training reference, missing-rate change, realised IC,
            Rank IC and long-short PnL with rolling Sharpe against validation, CUSUM and Page–Hinkley change detection
            on the IC, and data quality (missing sessions, universe shrinkage, NaN bursts, price jumps). Alerts go to
            standard error, monitoring/alerts.jsonl, monitoring/audit.jsonl and an optional webhook; repeats within
            a day are suppressed. Windows, thresholds and the retrain policy come from the configuration's
            monitoring section (qp init writes them with their defaults).

            Examples:
              qp monitor
              qp monitor --as-of 2023-12-29
              qp monitor --as-of 2023-12-29 --workdir /tmp/qp --json
              qp monitor --as-of 2023-12-29 --config qp.yaml --set monitoring.psi_alert=0.3
              qp monitor --as-of 2023-12-29 --retrain --policy policy.json
              qp monitor --as-of 2023-12-29 --report monitoring.html
            """)
        {
            asOf, json, webhook, retrain, policy, sessions, report,
        };
        config.AddTo(command);
        command.SetAction(parse =>
        {
            PipelineConfig loaded;
            try
            {
                loaded = config.Load(parse);
            }
            catch (Exception e) when (e is ConfigurationException or FileNotFoundException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            return Run(
                parse.GetValue(asOf),
                parse.GetValue(config.Workdir)!,
                parse.GetValue(json),
                parse.GetValue(webhook),
                parse.GetValue(retrain),
                parse.GetValue(policy),
                parse.GetValue(sessions),
                loaded,
                parse.GetValue(report));
        });
        return command;
    }

    public static int Run(string? asOfText, DirectoryInfo workdir, bool json, Uri? webhook, bool retrain, FileInfo? policyFile, FileInfo? sessionsFile = null, PipelineConfig? config = null, FileInfo? report = null)
    {
        ArgumentNullException.ThrowIfNull(workdir);
        config ??= new PipelineConfig();
        DateOnly asOf;
        if (asOfText is null)
        {
            if (LastStoredSession(workdir, config, out var problem) is not { } last)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 2;
            }

            asOf = last;
            // Said on standard error so --json output stays one document.
            Console.Error.WriteLine($"monitoring as of {asOf:yyyy-MM-dd}, the last session with stored daily bars (give --as-of for another date)");
        }
        else if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
        {
            Console.Error.WriteLine($"error: --as-of '{asOfText}' is not a date in yyyy-MM-dd form (e.g. 2023-12-29).");
            return 2;
        }

        var paths = new MonitoringPaths(workdir.FullName);
        using var hook = webhook is null ? null : new WebhookAlertSink(webhook);
        var sinks = new List<IAlertSink> { new ConsoleAlertSink(Console.Error), new JsonLinesAlertSink(paths.Alerts) };
        if (hook is not null)
        {
            sinks.Add(hook);
        }

        try
        {
            var retrainPolicy = policyFile is null ? config.Retrain() : RetrainPolicy.Load(policyFile.FullName);
            // The JSON-lines file is monitoring's own log; the registry's hash-chained trail is the system of record.
            var audit = new CompositeAuditSink(new JsonLinesAuditSink(paths.Audit), new RegistryAuditSink(config.ModelRegistryUri, workdir.FullName));
            var options = config.Monitor(sessionsFile is null ? null : ReadSessions(sessionsFile.FullName));
            var cycle = new MonitoringCycle(
                new ModelMonitor(config, workdir.FullName, options),
                new AlertDispatcher(sinks, audit, TimeSpan.FromDays(1), paths.DeduplicationState),
                retrainPolicy,
                retrain ? RetrainTrigger.ForPipeline(new ProductionPipeline(config, workdir.FullName), audit, paths.Retrains) : null);
            var result = cycle.RunAsync(asOf).GetAwaiter().GetResult();
            var reportPath = report is null ? null : HtmlReportWriter.Write(MonitoringReport.Build([result.Monitoring], options, result.Decision), report.FullName);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(result, JsonOutput));
            }
            else
            {
                PrintText(result);
            }

            if (reportPath is not null)
            {
                // Standard error keeps --json output a single JSON document.
                (json ? Console.Error : Console.Out).WriteLine($"report: {reportPath}");
            }

            return result.Retrain?.Error is null ? 0 : 1;
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or InvalidDataException or ArgumentException or IOException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reads one session date per line; blank lines and lines starting with # are skipped.</summary>
    public static IReadOnlyList<DateOnly> ReadSessions(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Sessions file {path} does not exist.", path);
        }

        var sessions = new List<DateOnly>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!DateOnly.TryParseExact(line, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new InvalidDataException($"Sessions file {path}, line {lineNumber}: '{line}' is not a yyyy-MM-dd date.");
            }

            sessions.Add(date);
        }

        return sessions;
    }

    private static readonly JsonSerializerOptions JsonOutput = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    /// <summary>The last date with daily bars in the working folder's market store, or null with what is missing.</summary>
    private static DateOnly? LastStoredSession(DirectoryInfo workdir, PipelineConfig config, out string problem)
    {
        var storePath = Path.Combine(workdir.FullName, config.MarketStorePath);
        problem = string.Empty;
        if (!File.Exists(storePath))
        {
            problem = $"no market store at {storePath}, so there is no last stored session to monitor; give --as-of yyyy-MM-dd, or --workdir the folder that holds the store.";
            return null;
        }

        MarketStore store;
        try
        {
            store = MarketStore.Open(storePath, readOnly: true);
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            problem = $"{e.Message} Give --as-of yyyy-MM-dd to monitor without reading the last stored session.";
            return null;
        }

        using var opened = store;
        if (store.DailyDateRange() is not { } range)
        {
            problem = $"the market store {storePath} holds no daily bars, so there is no last stored session to monitor; ingest bars (qp ingest) or give --as-of yyyy-MM-dd.";
            return null;
        }

        return range.Last;
    }

    private static void PrintText(MonitoringCycleResult cycle)
    {
        var r = cycle.Monitoring;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"monitor {r.ModelName} v{r.ModelVersion} (trained as of {r.ModelAsOf:yyyy-MM-dd}) at {r.AsOf:yyyy-MM-dd}; drift window {r.DriftFrom:yyyy-MM-dd}..{r.DriftTo:yyyy-MM-dd}"));
        Console.WriteLine("drift (JS distance in base 2):");
        Console.WriteLine($"  {"name",-12} {"PSI",7} {"level",-6} {"KS D",6} {"KS p",9} {"JS",6} {"missing",8} {"Δmissing",9}");
        foreach (var d in r.Drift)
        {
            Console.WriteLine(string.Create(c, $"  {d.Name,-12} {d.Psi,7:0.000} {d.PsiLevel.ToString().ToLowerInvariant(),-6} {d.KsStatistic,6:0.000} {d.KsPValue,9:0.00E+0} {d.JsDistance,6:0.000} {d.CurrentMissingRate,8:P1} {d.MissingRateChange,9:+0.0%;-0.0%;0.0%}"));
        }

        var decay = r.Decay;
        Console.WriteLine(string.Create(c, $"decay over {decay.Sessions.Count} labelled sessions ({decay.Sessions[0]:yyyy-MM-dd}..{decay.Sessions[^1]:yyyy-MM-dd}):"));
        Console.WriteLine(string.Create(c, $"  IC {decay.MeanIc:0.0000} (validation {decay.ValidationIcMean:0.0000} ± {decay.ValidationIcStd:0.0000}), Rank IC {decay.MeanRankIc:0.0000}, long-short Sharpe {decay.Sharpe:0.00} (validation {decay.ValidationSharpe:0.00}; annualised ×252)"));
        Console.WriteLine(string.Create(c, $"  rolling IC {decay.RollingIc[^1]:0.0000}, rolling Sharpe {decay.RollingSharpe[^1]:0.00}; CUSUM {(decay.Cusum.Alarmed ? $"alarm on {decay.Sessions[decay.Cusum.AlarmIndex!.Value]:yyyy-MM-dd}, change from {decay.ChangeDate:yyyy-MM-dd}" : "no alarm")}; Page–Hinkley {(decay.PageHinkley.Alarmed ? $"alarm on {decay.Sessions[decay.PageHinkley.AlarmIndex!.Value]:yyyy-MM-dd}" : "no alarm")}"));
        var q = r.DataQuality;
        Console.WriteLine(string.Create(c, $"data quality: {q.MissingSessions.Count} missing sessions, last data {q.LastObserved:yyyy-MM-dd}{(q.Stale ? " (STALE)" : "")}, universe {q.UniverseSize}/{q.UniversePeak}{(q.UniverseShrunk ? " (SHRUNK)" : "")}, {q.NanBursts.Count} NaN bursts, {q.PriceJumps.Count} price jumps"));
        var sent = cycle.Deliveries.Count(d => !d.Suppressed);
        Console.WriteLine($"alerts: {cycle.Deliveries.Count} raised, {sent} sent, {cycle.Deliveries.Count - sent} suppressed as repeats");
        foreach (var d in cycle.Deliveries)
        {
            Console.WriteLine($"  {ConsoleAlertSink.Format(d.Alert)}{(d.Suppressed ? " (suppressed)" : "")}{(d.Failed.Count > 0 ? " (failed: " + string.Join("; ", d.Failed.Select(f => $"{f.Key}: {f.Value}")) + ")" : "")}");
        }

        Console.WriteLine(cycle.Decision.Retrain ? "retrain: due — " + string.Join("; ", cycle.Decision.Reasons) : "retrain: not due");
        if (cycle.Retrain is { Triggered: true } outcome)
        {
            Console.WriteLine(outcome.Error is not null
                ? $"retrain: FAILED — {outcome.Error}"
                : $"retrain: version {outcome.NewVersion}, gate {(outcome.GatePassed == true ? "passed" : "failed")}, {(outcome.Deployed ? "deployed" : "not deployed; the previous version stays")}");
        }
    }
}
