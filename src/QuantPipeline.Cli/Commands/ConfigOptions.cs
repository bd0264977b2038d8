using System.CommandLine;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Cli.Commands;

/// <summary>The options every pipeline command shares: the configuration file, overrides and the working folder.</summary>
public sealed class ConfigOptions
{
    public Option<FileInfo?> File { get; } = new("--config", "-c")
    {
        Description = "The pipeline's YAML configuration (write a commented default with 'qp init'). Without it, the defaults apply.",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override one setting, key=value (repeatable), e.g. --set training_epochs=4.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<DirectoryInfo> Workdir { get; } = new("--workdir")
    {
        Description = "Working folder: market store, registry, artifacts, run records and reports.",
        DefaultValueFactory = _ => new DirectoryInfo("."),
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(File);
        command.Options.Add(Set);
        command.Options.Add(Workdir);
    }

    public PipelineConfig Load(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return PipelineConfigFile.Load(parse.GetValue(File)?.FullName, parse.GetValue(Set) ?? []);
    }
}
