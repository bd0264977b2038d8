using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using QuantPipeline.Cli.Output;
using QuantPipeline.Cluster.Backfill;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Schedule;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp backfill</c>: walk-forward retrains over a range and one stitched out-of-sample backtest.</summary>
public static class BackfillCommand
{
    public static Command Create()
    {
        var configOptions = new ConfigOptions();
        var from = new Option<string>("--from") { Description = "First date (yyyy-MM-dd): the first retrain is the first scheduled session on or after it.", Required = true };
        var to = new Option<string>("--to") { Description = "Last date (yyyy-MM-dd): out-of-sample predictions run to the last session on or before it.", Required = true };
        var frequency = new Option<string?>("--frequency") { Description = $"{string.Join(" | ", RetrainScheduler.Frequencies)}; default: the configuration's retraining_frequency." };
        var parallel = new Option<int>("--parallel") { Description = "Out-of-sample windows scored while the next retrains train.", DefaultValueFactory = _ => 2 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for the stitched series and the report (default: WORKDIR/backfill/MODEL/FROM_TO)." };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON object." };
        var cluster = new ClusterOptions();
        var command = new Command(
            "backfill",
            """
            Retrains on every scheduled date of a period and backtests the stitched out-of-sample predictions.
            Walk-forward backfill: at each retrain date of the schedule (exchange calendar) the pipeline trains,
            validates, gates and registers a model as of that date, seeing only data known then; the model in
            production afterwards predicts each session until the next retrain from that session's point-in-time
            features. The out-of-sample predictions are stitched into one backtest over the whole range (Sharpe,
            drawdown, IC and Rank IC per day) and written as CSV, Arrow and an HTML report. Run it again after an
            interruption: registered retrains and finished windows are reused, only what is missing runs.

            Exit codes: 0 done, 2 usage or configuration error, 1 failure.

            Examples:
              qp backfill --from 2023-01-01 --to 2025-12-31 --workdir qp-demo
              qp backfill --from 2024-01-01 --to 2024-12-31 --frequency quarterly -c pipeline.yaml --set training_epochs=4
              qp backfill --from 2015-01-01 --to 2025-12-31 --workdir /mnt/qp/work --cluster research --membership postgresql://qp@db:5432/qp --shared /mnt/qp
            """)
        {
            from, to, frequency, parallel, output, json,
        };
        configOptions.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            BackfillOptions options;
            Orchestrator.Config.PipelineConfig config;
            ClusterBackfillRun? onCluster;
            try
            {
                config = configOptions.Load(parse);
                onCluster = cluster.Read(parse) is { } run ? new ClusterBackfillRun(run, configOptions.ConfigPath(parse), parse.GetValue(configOptions.Set) ?? []) : null;
                options = new BackfillOptions
                {
                    From = CliDates.Parse(parse.GetValue(from)!, "--from"),
                    To = CliDates.Parse(parse.GetValue(to)!, "--to"),
                    Frequency = parse.GetValue(frequency),
                    MaxParallelism = parse.GetValue(parallel),
                    OutputDirectory = parse.GetValue(output)?.FullName,
                };
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or FormatException)
            {
                Console.Error.WriteLine($"error: {(e is ArgumentException a ? CliDates.WithoutParameterName(a) : e.Message)}");
                return 2;
            }

            return Run(config, parse.GetValue(configOptions.Workdir)!, options, parse.GetValue(json), onCluster);
        });
        return command;
    }

    public static int Run(Orchestrator.Config.PipelineConfig config, DirectoryInfo workdir, BackfillOptions options, bool json) => Run(config, workdir, options, json, null);

    /// <summary>As above; with <paramref name="cluster"/>, the retrains train on its silos and register here in date order.</summary>
    public static int Run(Orchestrator.Config.PipelineConfig config, DirectoryInfo workdir, BackfillOptions options, bool json, ClusterBackfillRun? cluster)
    {
        ArgumentNullException.ThrowIfNull(workdir);
        var c = CultureInfo.InvariantCulture;
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            // Bars with ETA (retrains, each retrain's stages and training) on standard error; stage lines above them.
            var result = ConsoleProgress.Run(enabled: true, Console.Out, (progress, print) =>
            {
                var stages = json ? null : new Action<StageRecord>(r => print(string.Create(c, $"    {r.Stage,-9} {r.Status,-8} {r.Seconds,7:0.000} s  {r.Error ?? r.Detail}")));
                return cluster is null
                    ? new WalkForwardBackfill(config, workdir.FullName, progress, stages).Run(options, cancel.Token)
                    : cluster.Cluster.UseAsync(dispatcher =>
                    {
                        using var retrainer = new ClusterBackfillRetrainer(dispatcher, config, workdir.FullName, cluster.ConfigPath, cluster.Sets);
                        return Task.FromResult(new WalkForwardBackfill(config, workdir.FullName, progress, stages, retrainer).Run(options, cancel.Token));
                    }).GetAwaiter().GetResult();
            });
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(Summary(result), new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
            else
            {
                Print(result);
            }

            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: registered retrains and finished windows are kept; run the same command again to resume.");
            return 1;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {CliDates.WithoutParameterName(e)}");
            return 2;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or PipelineStageException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static void Print(BackfillResult result)
    {
        var c = CultureInfo.InvariantCulture;
        var r = result.Report;
        Console.WriteLine($"retrains: {result.Retrains.Count} ({result.Retrains.Count(o => o.GatePassed)} passed the gate, {result.Retrains.Count(o => o.Reused)} reused)");
        foreach (var o in result.Retrains)
        {
            Console.WriteLine(string.Create(c, $"  {o.Date:yyyy-MM-dd}  v{o.Version,-3} gate {(o.GatePassed ? "pass" : "fail")}  validation Sharpe {o.ValidationSharpe,6:0.00}  OOS by v{o.PredictedBy} {o.TestFrom:yyyy-MM-dd}..{o.TestTo:yyyy-MM-dd} ({o.TestSessions} sessions)"));
        }

        Console.WriteLine(string.Create(c, $"out of sample {result.Sessions[0]:yyyy-MM-dd}..{result.Sessions[^1]:yyyy-MM-dd} ({r.Periods} sessions, annualised ×{r.PeriodsPerYear}): Sharpe {r.Sharpe:0.00}, annual return {r.AnnualReturn:P2}, max drawdown {r.MaxDrawdown.Depth:P2}, IC {r.Ic?.Mean:0.0000}, Rank IC {r.RankIc?.Mean:0.0000} (ICIR {r.RankIc?.Icir:0.00})"));
        Console.WriteLine($"predictions: {result.PredictionsCsvPath} (+ {Path.GetFileName(result.PredictionsArrowPath)}), daily series: {result.DailyCsvPath}");
        Console.WriteLine($"report: {result.ReportPath}");
    }

    private static object Summary(BackfillResult result) => new
    {
        model = result.ModelName,
        from = result.Sessions[0],
        to = result.Sessions[^1],
        sessions = result.Report.Periods,
        sharpe = result.Report.Sharpe,
        annual_return = result.Report.AnnualReturn,
        max_drawdown = result.Report.MaxDrawdown.Depth,
        ic_mean = result.Report.Ic?.Mean,
        rank_ic_mean = result.Report.RankIc?.Mean,
        retrains = result.Retrains.Select(o => new
        {
            date = o.Date,
            version = o.Version,
            gate = o.GatePassed ? "pass" : "fail",
            validation_sharpe = o.ValidationSharpe,
            predicted_by = o.PredictedBy,
            test_from = o.TestFrom,
            test_to = o.TestTo,
            reused = o.Reused,
        }),
        predictions_csv = result.PredictionsCsvPath,
        predictions_arrow = result.PredictionsArrowPath,
        daily_csv = result.DailyCsvPath,
        report = result.ReportPath,
    };
}
