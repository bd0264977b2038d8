using System.CommandLine;
using System.Text.Json;
using QuantPipeline.Cli.Output;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Lineage;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp config</c>: validates a configuration and prints the effective settings with their hash.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var options = new ConfigOptions();
        var json = new Option<bool>("--json") { Description = "Print the file read, the configuration hash and the canonical configuration as JSON." };
        var command = new Command(
            "config",
            CommandHelp.Describe(
                "Checks a configuration and prints the effective settings and their hash.",
                """
                Applies the file, QP_ environment variables and --set overrides the way every pipeline command does,
                reports every problem (exit code 2) or prints the result as a commented YAML file that loads back to
                the same settings, followed by the canonical configuration's SHA-256 recorded in each version's lineage.
                """,
                "qp config",
                "qp config --config qp.yaml --set training.epochs=4",
                "qp config --workdir qp-demo --json"))
        {
            json,
        };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            PipelineConfig config;
            try
            {
                config = options.Load(parse);
            }
            catch (Exception e) when (e is ConfigurationException or FileNotFoundException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }

            var file = options.ConfigPath(parse);
            var hash = LineageHashes.ConfigHash(config);
            if (parse.GetValue(json))
            {
                using var canonical = JsonDocument.Parse(LineageHashes.CanonicalConfig(config));
                JsonOutput.Write(new { File = file, ConfigHash = hash, Config = canonical.RootElement });
                return 0;
            }

            Console.WriteLine($"# effective configuration: {(file is null ? "built-in defaults" : file)}, then QP_ environment variables and --set");
            Console.Write(DefaultConfigFile.Text(config));
            Console.WriteLine($"# config hash (sha256 of the canonical JSON): {hash}");
            return 0;
        });
        return command;
    }
}
