using System.CommandLine;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// The options every pipeline command shares: the configuration file, overrides and the working folder.
/// Without --config, the working folder's qp.yaml is read when it exists, and the defaults apply otherwise.
/// </summary>
public sealed class ConfigOptions(string defaultWorkdir = ".")
{
    /// <summary>The configuration file a working folder may hold, read when no --config is given.</summary>
    public const string WorkdirConfigFile = "qp.yaml";

    public Option<FileInfo?> File { get; } = new("--config", "-c")
    {
        Description = $"The pipeline's YAML configuration (write a commented default with 'qp init'). Default: {WorkdirConfigFile} in the working folder if present, else the built-in defaults.",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override one setting, section.key=value (repeatable), e.g. --set training.epochs=4. Beats the file and QP_SECTION__KEY environment variables.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<DirectoryInfo> Workdir { get; } = new("--workdir")
    {
        Description = "Working folder: market store, registry, artifacts, run records and reports.",
        DefaultValueFactory = _ => new DirectoryInfo(defaultWorkdir),
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(File);
        command.Options.Add(Set);
        command.Options.Add(Workdir);
    }

    /// <summary>The configuration: defaults &lt; file &lt; QP_ environment variables &lt; --set. Throws <see cref="ConfigurationException"/> listing every problem.</summary>
    public PipelineConfig Load(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return PipelineConfigFile.Load(ConfigPath(parse), parse.GetValue(Set) ?? []);
    }

    /// <summary>The file that <see cref="Load"/> reads: --config, else the working folder's qp.yaml when present, else none.</summary>
    public string? ConfigPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(File) is { } file)
        {
            return file.FullName;
        }

        var inWorkdir = Path.Combine(parse.GetValue(Workdir)?.FullName ?? defaultWorkdir, WorkdirConfigFile);
        return System.IO.File.Exists(inWorkdir) ? inWorkdir : null;
    }
}
