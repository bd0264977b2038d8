using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp due</c>: which scheduled retrains have no completed run yet, for cron or an external orchestrator.</summary>
public static class DueCommand
{
    public static Command Create()
    {
        var config = new ConfigOptions();
        var asOf = new Option<string?>("--as-of") { Description = "Consider scheduled dates up to this date (yyyy-MM-dd); today (UTC) when left out." };
        var from = new Option<string?>("--from") { Description = "Consider scheduled dates from this date (yyyy-MM-dd); by default from the first session with enough stored history for a run." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (model, exchange, frequency, range, scheduled and due dates)." };
        var command = new Command(
            "due",
            $"""
            Lists the scheduled retrain dates up to the as-of that have no completed run yet.
            Scheduled dates are the first session of each day, week, month or quarter on the configured
            exchange calendar: 'exchange' and 'retraining_frequency') up to the as-of that have no completed run of
            this model and configuration in the working folder, one ISO date per line, oldest first. Run each with
            'qp run --as-of DATE'; nothing printed means nothing is due.

            Examples:
              qp due --workdir qp-demo
              qp due --as-of 2023-12-29 --set retraining_frequency=weekly
              qp due --from 2023-01-01 --as-of 2023-12-29 --json

            {ExitCodes.HelpText}
            """)
        {
            asOf, from, json,
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

            var date = DateOnly.FromDateTime(DateTime.UtcNow);
            if (parse.GetValue(asOf) is { } asOfText && !PipelineCommandHelpers.TryParseDate(asOfText, "--as-of", out date))
            {
                return ExitCodes.Usage;
            }

            DateOnly? start = null;
            if (parse.GetValue(from) is { } fromText)
            {
                if (!PipelineCommandHelpers.TryParseDate(fromText, "--from", out var parsed))
                {
                    return ExitCodes.Usage;
                }

                start = parsed;
            }

            var loaded = PipelineCommandHelpers.LoadConfig(config, parse);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }

            DueRuns due;
            try
            {
                due = DueRuns.Find(loaded, parse.GetValue(config.Workdir)!.FullName, date, start);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (ArgumentException e)
            {
                // A date outside the exchange calendar's rules: bad input, so the usage exit code.
                Console.Error.WriteLine($"error: {CliDates.WithoutParameterName(e)}");
                return ExitCodes.Usage;
            }

            string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["model"] = due.Model,
                    ["exchange"] = due.Exchange,
                    ["frequency"] = due.Frequency,
                    ["from"] = Iso(due.From),
                    ["as_of"] = Iso(due.AsOf),
                    ["scheduled"] = due.Scheduled.Select(Iso),
                    ["due"] = due.Due.Select(Iso),
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var d in due.Due)
                {
                    Console.WriteLine(Iso(d));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
