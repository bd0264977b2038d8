using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp run</c>: one idempotent, resumable pipeline run for an as-of date.</summary>
public static class RunCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create()
    {
        var config = new ConfigOptions();
        var asOf = new Option<string?>("--as-of")
        {
            Description = "The as-of date (yyyy-MM-dd), required: only data known at or before it is used; the last stored session up to it is the run's date.",
        };
        var force = new Option<bool>("--force") { Description = "Recompute every stage even where a completed output with the same inputs, configuration and code exists (registration stays idempotent)." };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON document on standard output (log lines go to standard error)." };
        var stopAfter = new Option<string?>("--stop-after")
        {
            Description = "Run up to and including this stage (prepare, features, train, validate, gate, register, deploy); a later run reuses what it stored.",
        };
        var command = new Command(
            "run",
            $"""
            Runs the pipeline for one as-of date: prepare → features → train → validate → gate → register → deploy → monitor.
            Runs are idempotent and resumable: completed stage outputs are stored under stages/ keyed by their inputs,
            the configuration hash and the code version, and reused by the next run (a run killed mid-stage redoes only
            what was unfinished); the same model, as-of, configuration and data never register a second version.
            One run per model and as-of at a time (a lock under runs/locks/). Transient failures such as a locked
            database are retried with exponential backoff (retry_attempts, retry_base_delay_ms). Ctrl+C cancels cleanly.
            Writes the run record runs/<run id>.json, JSON-lines logs to logs/runs.jsonl and an HTML report under reports/.

            Examples:
              qp run --as-of 2023-12-29 --workdir qp-demo
              qp run --as-of 2023-12-29 --config pipeline.yaml --json
              qp run --as-of 2023-12-29 --set training_epochs=4 --force
              qp run --as-of 2023-12-29 --stop-after validate

            {ExitCodes.HelpText}
            """)
        {
            asOf, force, json, stopAfter,
        };
        config.AddTo(command);
        // Unknown arguments are reported here, with the documented usage exit code 2, rather than by the parser (exit 1).
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0)
            {
                Console.Error.WriteLine($"error: unrecognised argument(s) {string.Join(" ", parse.UnmatchedTokens.Select(t => $"'{t}'"))}; see 'qp {command.Name} --help'.");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(asOf) is null)
            {
                Console.Error.WriteLine("error: --as-of is required (yyyy-MM-dd), e.g. qp run --as-of 2023-12-29.");
                return ExitCodes.Usage;
            }

            if (!PipelineCommandHelpers.TryParseDate(parse.GetValue(asOf), "--as-of", out var date))
            {
                return ExitCodes.Usage;
            }

            var stop = parse.GetValue(stopAfter);
            if (stop is not null && (!StageStatus.Order.Contains(stop) || stop == "ingest"))
            {
                Console.Error.WriteLine($"error: --stop-after '{stop}' is not a stage; use one of {string.Join(", ", StageStatus.Order.Skip(1))}.");
                return ExitCodes.Usage;
            }

            var loaded = PipelineCommandHelpers.LoadConfig(config, parse);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }

            return Run(loaded, parse.GetValue(config.Workdir)!.FullName, date, parse.GetValue(force), parse.GetValue(json), stop);
        });
        return command;
    }

    public static int Run(PipelineConfig config, string workingDirectory, DateOnly asOf, bool force, bool json, string? stopAfter)
    {
        ArgumentNullException.ThrowIfNull(config);
        var console = json ? Console.Error : Console.Out;
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Keep the process alive: the pipeline stops at the next check, records the cancellation and returns.
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            // Bars with ETA (stages, training) on standard error; log lines above them, or to standard error with --json.
            var result = ConsoleProgress.Run(enabled: true, console, (progress, print) =>
                new ProductionPipeline(config, workingDirectory) { LogLines = print }.Run(asOf, new RunOptions
                {
                    Force = force,
                    CancellationToken = cancellation.Token,
                    StopAfter = stopAfter,
                    Progress = progress,
                }));
            if (json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(Describe(result), Json));
            }
            else
            {
                Summarise(result);
            }

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Report(json, "cancelled", "the run was cancelled; completed stages are kept and the next run of the same as-of resumes from them");
            return ExitCodes.Cancelled;
        }
        catch (RunLockedException e)
        {
            Report(json, "locked", e.Message);
            return ExitCodes.Failure;
        }
        catch (PipelineStageException e)
        {
            Report(json, "failed", e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // Before the first stage: the working folder, the registry or the run record could not be used.
            Report(json, "failed", e.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void Summarise(PipelineResult result)
    {
        if (result.StoppedAfter is { } stopped)
        {
            Console.WriteLine($"stopped after {stopped} as asked; outputs are stored and a later run reuses them");
        }
        else
        {
            Console.WriteLine($"gate: {result.Gate.Describe()}");
            Console.WriteLine($"version: {result.ModelName} v{result.Version} (sha256 {result.ArtifactSha256[..12]}…)");
            Console.WriteLine(result.SignalsPath is not null
                ? $"outcome: deployed; signals {result.SignalsPath}"
                : result.Gate.Passed
                    ? "outcome: passed the gate but not deployed: production holds a model trained as of a later date"
                    : "outcome: rejected by the gate; not deployed (the previous deployment stays)");
            Console.WriteLine($"report: {result.ReportPath}");
        }

        Console.WriteLine($"run record: {result.RunRecordPath}");
    }

    private static object Describe(PipelineResult result) => new Dictionary<string, object?>
    {
        ["status"] = "succeeded",
        ["outcome"] = result.StoppedAfter is not null ? "stopped" : result.SignalsPath is not null ? "deployed" : result.Gate.Passed ? "superseded" : "rejected",
        ["run_id"] = result.RunId,
        ["as_of"] = result.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["model"] = result.ModelName,
        ["version"] = result.StoppedAfter is null || result.Version > 0 ? result.Version : null,
        ["stopped_after"] = result.StoppedAfter,
        ["gate_passed"] = result.StoppedAfter is null ? result.Gate.Passed : null,
        ["gate"] = result.StoppedAfter is null ? result.Gate.Describe() : null,
        ["deployed"] = result.SignalsPath is not null,
        ["signals_path"] = result.SignalsPath,
        ["report_path"] = result.ReportPath,
        ["run_record"] = result.RunRecordPath,
        ["metrics"] = result.Report?.ToDictionary(),
        ["stages"] = result.Stages.Select(s => new Dictionary<string, object?>
        {
            ["stage"] = s.Stage,
            ["status"] = s.Status,
            ["seconds"] = s.Seconds,
            ["input_hash"] = s.InputHash,
            ["output_hash"] = s.OutputHash,
            ["attempts"] = s.Attempts,
            ["detail"] = s.Detail,
            ["error"] = s.Error,
        }),
    };

    private static void Report(bool json, string status, string message)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?> { ["status"] = status, ["error"] = message }, Json));
        }

        Console.Error.WriteLine($"error: {message}");
    }
}
