using System.CommandLine;
using System.Globalization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Calendars;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp calendar sessions|early-closes</c>: one ISO date per line.</summary>
public static class CalendarCommand
{
    public static Command Create()
    {
        var command = new Command(
            "calendar",
            CommandHelp.Describe(
                "Exchange calendars (XNYS, WEEKDAY, 24/7): list sessions or early closes.",
                null,
                "qp calendar sessions --exchange XNYS --from 2024-01-01 --to 2024-12-31",
                "qp calendar early-closes --from 2024-01-01 --to 2024-12-31 --json"));
        command.Subcommands.Add(Listing("sessions", "Prints every session date in [--from, --to], one ISO date per line.", (c, f, t) => c.Sessions(f, t)));
        command.Subcommands.Add(Listing("early-closes", "Prints every early-close session in [--from, --to], one ISO date per line.", (c, f, t) => c.EarlyCloses(f, t)));
        return command;
    }

    private static Command Listing(string name, string description, Func<IExchangeCalendar, DateOnly, DateOnly, IReadOnlyList<DateOnly>> list)
    {
        var exchange = new Option<string>("--exchange") { Description = $"Calendar name: {string.Join(", ", ExchangeCalendars.Names)}.", DefaultValueFactory = _ => "XNYS" };
        var from = new Option<string>("--from") { Description = "First date (yyyy-MM-dd), inclusive.", Required = true };
        var to = new Option<string>("--to") { Description = "Last date (yyyy-MM-dd), inclusive.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: exchange, from, to and the dates." };
        var command = new Command(
            name,
            CommandHelp.Describe(
                description,
                null,
                $"qp calendar {name} --exchange XNYS --from 1990-01-01 --to 2024-12-31",
                $"qp calendar {name} --from 2024-01-01 --to 2024-03-31 --json"))
        {
            exchange, from, to, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                var calendar = ExchangeCalendars.Get(parse.GetValue(exchange)!);
                var first = ParseDate(parse.GetValue(from)!, "--from");
                var last = ParseDate(parse.GetValue(to)!, "--to");
                if (last < first)
                {
                    throw new ArgumentException($"--to {last:yyyy-MM-dd} is before --from {first:yyyy-MM-dd}.");
                }

                var dates = list(calendar, first, last).Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { Exchange = calendar.Name, From = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), To = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Count = dates.Count, Dates = dates });
                    return 0;
                }

                var output = Console.Out;
                foreach (var d in dates)
                {
                    output.WriteLine(d);
                }

                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {WithoutParameterName(e)}");
                return 2;
            }
        });
        return command;
    }

    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"{option} '{text}' is not a date; write it as yyyy-MM-dd, e.g. 2024-01-31.");
}
