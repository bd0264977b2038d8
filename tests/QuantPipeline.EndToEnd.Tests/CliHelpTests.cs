using System.CommandLine;
using System.Reflection;
using QuantPipeline.Cli.Commands;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>Every command's help: a one-line summary for qp --help, and an Examples section whose lines parse.</summary>
public sealed class CliHelpTests
{
    /// <summary>Every command the CLI defines: each Commands/*.cs exposes a static Create().</summary>
    private static List<Command> TopLevelCommands() =>
        [.. typeof(CommandHelp).Assembly.GetTypes()
            .Select(t => t.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes))
            .Where(m => m is not null && m.ReturnType == typeof(Command))
            .Select(m => (Command)m!.Invoke(null, null)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)];

    private static RootCommand Root()
    {
        var root = new RootCommand("qp");
        foreach (var command in TopLevelCommands())
        {
            root.Subcommands.Add(command);
        }

        CommandHelp.Install(root);
        return root;
    }

    private static IEnumerable<(string Path, Command Command)> AllCommands(Command command, string path)
    {
        foreach (var sub in command.Subcommands)
        {
            var subPath = (path + " " + sub.Name).Trim();
            yield return (subPath, sub);
            foreach (var nested in AllCommands(sub, subPath))
            {
                yield return nested;
            }
        }
    }

    private static string Help(RootCommand root, string path)
    {
        using var output = new StringWriter();
        var exit = root.Parse([.. path.Split(' '), "--help"]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        return output.ToString();
    }

    [Fact]
    public void Every_command_has_help_with_an_examples_section_that_parses()
    {
        var root = Root();
        var commands = AllCommands(root, string.Empty).ToList();
        Assert.True(commands.Count >= 20, $"only {commands.Count} commands found");
        foreach (var (path, _) in commands)
        {
            var help = Help(root, path);
            Assert.True(help.Contains(CommandHelp.ExamplesTitle, StringComparison.Ordinal), $"'qp {path} --help' has no Examples section:\n{help}");
            var examples = help[help.IndexOf(CommandHelp.ExamplesTitle, StringComparison.Ordinal)..]
                .Split('\n')
                .Skip(1)
                .Select(l => l.Trim())
                .TakeWhile(l => l.Length > 0)
                .ToList();
            Assert.True(examples.Count > 0, $"'qp {path} --help' lists no example command lines");
            Assert.All(examples, e => Assert.StartsWith("qp ", e, StringComparison.Ordinal));
            foreach (var example in examples)
            {
                var parse = root.Parse(ShellWords(example).Skip(1).ToArray());
                Assert.True(parse.Errors.Count == 0, $"example '{example}' of 'qp {path}' does not parse: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            }
        }
    }

    [Fact]
    public void Every_summary_is_one_full_sentence()
    {
        foreach (var (path, command) in AllCommands(Root(), string.Empty))
        {
            var summary = CommandHelp.Summary(command);
            Assert.True(summary.EndsWith('.') && summary.Length <= 120, $"summary of 'qp {path}' is not one full sentence of at most 120 characters: '{summary}'");
        }
    }

    [Fact]
    public void Root_help_lists_every_command_on_one_line()
    {
        var (exit, output, _) = QpProcess.Run("--help");
        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        var start = Array.IndexOf(lines, "Commands:") + 1;
        var listed = lines.Skip(start).TakeWhile(l => l.Length > 0).ToList();
        var commands = TopLevelCommands();
        Assert.Equal(commands.Count, listed.Count);
        foreach (var command in commands)
        {
            Assert.Contains(listed, l => l.TrimStart().StartsWith(command.Name + " ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(CommandHelp.Summary(command), StringComparison.Ordinal));
        }

        Assert.Contains("Run 'qp COMMAND --help' for a command's options and examples.", output);
        Assert.DoesNotContain(CommandHelp.ExamplesTitle, output);
    }

    [Fact]
    public void A_group_lists_its_subcommands_in_one_line_each()
    {
        var help = Help(Root(), "registry");
        Assert.Contains("Usage:\n  qp registry [command] [options]", help.ReplaceLineEndings("\n"));
        Assert.Contains("  list ", help);
        Assert.Contains("Lists registered models (latest version, aliases), or one model's versions with --model.", help);
        Assert.DoesNotContain("qp registry list --model demo_mlp", help); // a subcommand's examples stay in its own help
    }

    /// <summary>Splits a shell line into words (quotes kept together) up to a redirection or a second command.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        var end = words.FindIndex(w => w is ">" or ">>" or "|" or "&&" or "2>");
        return end < 0 ? words : words[..end];
    }
}
