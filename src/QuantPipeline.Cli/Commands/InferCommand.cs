using System.CommandLine;
using System.Globalization;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp infer NAME --as-of DATE</c>: batch inference with the version an alias points to.</summary>
public static class InferCommand
{
    public static Command Create()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var name = new Argument<string>("name") { Description = "Model name." };
        var asOf = new Option<string>("--as-of") { Description = "Session date to score (yyyy-MM-dd); only bars up to it are used.", Required = true };
        var alias = new Option<string>("--alias") { Description = "Alias whose version scores.", DefaultValueFactory = _ => ModelRegistry.Production };
        var command = new Command(
            "infer",
            """
            Writes signals for an as-of date with the production version.
            Scores the universe for an as-of date with the production version (or --alias). The artifact's SHA-256
            is verified before loading; signals go to signals/NAME_DATE.{csv,parquet,arrow} (a .complete.json marker
            is written last) and to the registry's signals table, stamped with model, version and as-of. Rerunning
            for the same date replaces the outputs with identical ones.

            Examples:
              qp infer demo_mlp --as-of 2023-12-29 --workdir qp-demo
            """)
        {
            name, asOf, alias, registry, workdir, json,
        };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            var text = parse.GetValue(asOf)!;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"--as-of '{text}' is not a date; write yyyy-MM-dd, e.g. 2023-12-29.");
            }

            var dir = parse.GetValue(workdir)!;
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, dir);
            var result = BatchInference.Run(r, dir.FullName, parse.GetValue(name)!, date, parse.GetValue(alias)!);
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(new { model = result.ModelName, version = result.Version, as_of = text, rows = result.Rows.Count, csv = result.CsvPath });
            }
            else
            {
                Console.WriteLine($"{result.ModelName} v{result.Version} scored {result.Rows.Count} symbols for {text} → {result.CsvPath} (+ .parquet, .arrow, signals table)");
            }

            return 0;
        }));
        return command;
    }
}
