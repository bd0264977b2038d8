using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// Help text conventions: a command's description starts with a one-line summary (what <c>qp --help</c> lists)
/// and ends with an Examples section. Commands that hold subcommands get a short listing of one summary line
/// per subcommand; every other command gets the standard help with its full description.
/// </summary>
public static class CommandHelp
{
    public const string ExamplesTitle = "Examples:";

    /// <summary>A description: the summary line, optional details, then the examples, one command line each.</summary>
    public static string Describe(string summary, string? details, params string[] examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var text = summary + (string.IsNullOrWhiteSpace(details) ? string.Empty : "\n" + details.TrimEnd());
        return text + "\n\n" + ExamplesTitle + string.Concat(examples.Select(e => "\n  " + e));
    }

    /// <summary>The first line of a command's description.</summary>
    public static string Summary(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var description = command.Description ?? string.Empty;
        var end = description.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? description : description[..end]).Trim();
    }

    /// <summary>Replaces the root's help action so that commands with subcommands list one line per subcommand.</summary>
    public static void Install(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard)
        {
            help.Action = new ShortListingHelp(standard);
        }
    }

    private sealed class ShortListingHelp(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            if (command.Subcommands.Count == 0)
            {
                return standard.Invoke(parseResult);
            }

            var output = parseResult.InvocationConfiguration.Output;
            var path = new List<string>();
            for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                path.Insert(0, result.Command is RootCommand ? "qp" : result.Command.Name);
            }

            output.WriteLine("Description:");
            foreach (var line in (command.Description ?? string.Empty).Split('\n'))
            {
                output.WriteLine(line.Length == 0 ? string.Empty : "  " + line.TrimEnd());
            }

            output.WriteLine();
            output.WriteLine("Usage:");
            output.WriteLine($"  {string.Join(' ', path)} [command] [options]");
            output.WriteLine();
            output.WriteLine("Commands:");
            var width = command.Subcommands.Max(c => c.Name.Length) + 2;
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                output.WriteLine($"  {sub.Name.PadRight(width)}{Summary(sub)}");
            }

            var options = command.Options.Concat(AncestorOptions(parseResult)).Where(o => !o.Hidden).Distinct().ToList();
            if (options.Count > 0)
            {
                output.WriteLine();
                output.WriteLine("Options:");
                var names = options.Select(o => string.Join(", ", o.Aliases.Append(o.Name).OrderBy(n => n.Length))).ToList();
                var column = names.Max(n => n.Length) + 2;
                for (var i = 0; i < options.Count; i++)
                {
                    output.WriteLine($"  {names[i].PadRight(column)}{(options[i].Description ?? string.Empty).Split('\n')[0]}");
                }
            }

            output.WriteLine();
            output.WriteLine($"Run '{string.Join(' ', path)} COMMAND --help' for a command's options and examples.");
            return 0;
        }

        private static IEnumerable<Option> AncestorOptions(ParseResult parseResult)
        {
            for (var result = parseResult.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                foreach (var option in result.Command.Options.Where(o => o.Recursive))
                {
                    yield return option;
                }
            }
        }
    }
}
