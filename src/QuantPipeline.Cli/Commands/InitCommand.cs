using System.CommandLine;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp init</c>: writes the commented default configuration.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var path = new Option<FileInfo>("--path")
        {
            Description = "File to write.",
            DefaultValueFactory = _ => new FileInfo(ConfigOptions.WorkdirConfigFile),
        };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists." };
        var command = new Command(
            "init",
            CommandHelp.Describe(
                "Writes a commented configuration file with every setting at its default.",
                """
                Each setting comes with its meaning and its environment variable (QP_SECTION__KEY). Pipeline commands read
                qp.yaml from their working folder when no --config is given. An existing file is kept unless --force.
                """,
                "qp init",
                "qp init --path configs/alpha.yaml",
                "qp init --force"))
        {
            path, force,
        };
        command.SetAction(parse => Run(parse.GetValue(path)!, parse.GetValue(force)));
        return command;
    }

    public static int Run(FileInfo path, bool force)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Exists && !force)
        {
            Console.Error.WriteLine($"error: {path.FullName} already exists; pass --force to overwrite it, or choose another file with --path.");
            return 2;
        }

        path.Directory?.Create();
        AtomicFile.WriteAllText(path.FullName, DefaultConfigFile.Text());
        Console.WriteLine($"wrote {path.FullName} ({PipelineConfigSchema.Settings.Count} settings at their defaults)");
        return 0;
    }
}
