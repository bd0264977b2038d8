using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using QuantPipeline.Core.Calendars;
using QuantPipeline.Orchestrator.Schedule;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp schedule</c>: the retrain dates of a range on an exchange calendar.</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "First date (yyyy-MM-dd), inclusive.", Required = true };
        var to = new Option<string>("--to") { Description = "Last date (yyyy-MM-dd), inclusive.", Required = true };
        var frequency = new Option<string>("--frequency")
        {
            Description = $"{string.Join(" | ", RetrainScheduler.Frequencies)}: every session, or the first session of each week (Monday-based), month or quarter.",
            DefaultValueFactory = _ => "monthly",
        };
        var exchange = new Option<string>("--exchange") { Description = $"Calendar: {string.Join(", ", ExchangeCalendars.Names)}.", DefaultValueFactory = _ => "XNYS" };
        var json = new Option<bool>("--json") { Description = "Print a JSON object (exchange, frequency, dates) instead of one date per line." };
        var command = new Command(
            "schedule",
            """
            Prints the retrain dates of a period on an exchange calendar, one ISO date per line.
            Monthly is the first trading session of each month (2024-01-02, 2024-02-01, …, 2024-06-03 on XNYS);
            holidays are never retrain dates.

            Examples:
              qp schedule --from 2024-01-01 --to 2024-12-31
              qp schedule --from 2024-01-01 --to 2024-12-31 --frequency weekly --exchange XNYS
              qp schedule --from 2024-01-01 --to 2024-12-31 --frequency quarterly --json
            """)
        {
            from, to, frequency, exchange, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                var calendar = ExchangeCalendars.Get(parse.GetValue(exchange)!);
                var first = CliDates.Parse(parse.GetValue(from)!, "--from");
                var last = CliDates.Parse(parse.GetValue(to)!, "--to");
                var dates = RetrainScheduler.Dates(first, last, parse.GetValue(frequency)!, calendar);
                var text = dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new { exchange = calendar.Name, frequency = parse.GetValue(frequency), from = first, to = last, dates = text }));
                }
                else
                {
                    foreach (var d in text)
                    {
                        Console.Out.WriteLine(d);
                    }
                }

                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {CliDates.WithoutParameterName(e)}");
                return 2;
            }
        });
        return command;
    }
}
