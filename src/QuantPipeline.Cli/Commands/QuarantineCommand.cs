using System.CommandLine;
using System.Globalization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp quarantine list|show</c>: the rows an ingest set aside, with their rule, message and source position.</summary>
public static class QuarantineCommand
{
    public static Command Create()
    {
        var command = new Command(
            "quarantine",
            """
            Shows the rows ingest set aside under --policy quarantine, with the rule each broke and where it came from.
            A quarantined row is not in the store: correct it in its file (or a new file holding just the corrected
            rows) and ingest that again.

            Examples:
              qp quarantine list --store data/market.duckdb
              qp quarantine list --batch B000002-1a2b3c4d5e6f --rule high-below-low
              qp quarantine show --batch B000002-1a2b3c4d5e6f --json
            """);
        command.Subcommands.Add(Sub("list", "Lists quarantined rows, one per line: batch, file and data row, symbol, rule and message.", withRaw: false));
        command.Subcommands.Add(Sub("show", "Lists quarantined rows with each source row as it was read (every column), for correcting it.", withRaw: true));
        return command;
    }

    private static Command Sub(string name, string description, bool withRaw)
    {
        var store = new Option<string>("--store") { Description = "Market store file.", DefaultValueFactory = _ => "data/market.duckdb" };
        var batch = new Option<string?>("--batch") { Description = "Only this batch (the id qp ingest printed, e.g. B000002-1a2b3c4d5e6f)." };
        var rule = new Option<string?>("--rule") { Description = "Only rows that broke this rule (e.g. high-below-low, missing-value, outside-session)." };
        var json = new Option<bool>("--json") { Description = "Print the rows as one JSON document." };
        var command = new Command(name, $"""
            {description}

            Examples:
              qp quarantine {name} --store data/market.duckdb
              qp quarantine {name} --batch B000002-1a2b3c4d5e6f --rule high-below-low --json
            """)
        {
            store, batch, rule, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                using var market = MarketStore.Open(parse.GetValue(store)!, readOnly: true);
                var rows = market.QuarantinedRows(parse.GetValue(batch), parse.GetValue(rule));
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { Store = market.Path, Rows = rows.Select(r => new { r.BatchId, r.Source, r.Row, r.Symbol, r.Rule, r.Message, Raw = withRaw ? r.RawRow : null }) });
                    return 0;
                }

                foreach (var r in rows)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.BatchId}  {Path.GetFileName(r.Source)} row {r.Row}{(r.Symbol is null ? string.Empty : $", symbol {r.Symbol}")}: [{r.Rule}] {r.Message}"));
                    if (withRaw)
                    {
                        Console.WriteLine($"    {r.RawRow}");
                    }
                }

                Console.Error.WriteLine($"{rows.Count} quarantined row(s){(rows.Count > 0 ? "; correct them in their file and ingest it again" : string.Empty)}.");
                return 0;
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
