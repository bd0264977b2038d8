using System.CommandLine;
using System.Globalization;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp audit verify | export</c>: the hash-chained audit trail in the registry database.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command(
            "audit",
            """
            Verifies or exports the hash-chained audit trail.
            The audit trail: every ingest, run, stage outcome, gate decision, registration, promotion, rollback and
            deployment, each entry chained to the previous one by SHA-256.

            Examples:
              qp audit verify --workdir qp-demo
              qp audit export --from 2024-01-01 --to 2024-02-01 --workdir qp-demo > audit.jsonl
            """);
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Verify()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var command = new Command("verify", CommandHelp.Describe("Recomputes the hash chain; exits 1 naming the first edited, deleted, inserted or reordered entry.", null, "qp audit verify --workdir qp-demo", "qp audit verify --workdir qp-demo --json")) { registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var result = r.Audit.Verify();
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(new { intact = result.Intact, entries_checked = result.EntriesChecked, first_bad_entry = result.FirstBadSequence, message = result.Message });
            }
            else if (result.Intact)
            {
                Console.WriteLine(result.Message);
            }
            else
            {
                Console.Error.WriteLine($"error: {result.Message}");
            }

            return result.Intact ? 0 : 1;
        }));
        return command;
    }

    private static Command Export()
    {
        var (registry, workdir) = (RegistryOptions.Registry(), RegistryOptions.Workdir());
        var from = new Option<string?>("--from") { Description = "First time included (UTC): 2024-01-31 or 2024-01-31T09:30:00Z." };
        var to = new Option<string?>("--to") { Description = "End time, excluded (UTC)." };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of stdout." };
        var command = new Command("export", CommandHelp.Describe("Writes the entries in [--from, --to) as JSON lines (seq, at, actor, action, payload, prev_hash, hash).", null, "qp audit export --from 2024-01-01 --to 2024-02-01 --workdir qp-demo > audit.jsonl", "qp audit export --from 2024-01-01 --to 2024-02-01 --output audit.jsonl --workdir qp-demo")) { from, to, output, registry, workdir };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            var start = ParseTime(parse.GetValue(from), "--from");
            var end = ParseTime(parse.GetValue(to), "--to");
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var lines = r.Audit.Read(start, end).Select(e => e.ToJsonLine());
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllLines(file.FullName, lines);
            }
            else
            {
                foreach (var line in lines)
                {
                    Console.WriteLine(line);
                }
            }

            return 0;
        }));
        return command;
    }

    private static DateTime? ParseTime(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new FormatException($"{option} '{text}' is not a date or time; write 2024-01-31 or 2024-01-31T09:30:00Z.");
    }
}
