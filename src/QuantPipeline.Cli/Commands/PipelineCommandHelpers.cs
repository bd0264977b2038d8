using System.CommandLine;
using System.Globalization;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Cli.Commands;

/// <summary>Date parsing and configuration loading shared by qp run and qp due, mapping user errors to exit code 2.</summary>
internal static class PipelineCommandHelpers
{
    public static bool TryParseDate(string? text, string option, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        Console.Error.WriteLine($"error: {option} '{text}' is not a date in yyyy-MM-dd form (e.g. 2023-12-29).");
        return false;
    }

    /// <summary>The configuration from --config/--set, validated; null (after printing why) when it is unusable.</summary>
    public static PipelineConfig? LoadConfig(ConfigOptions options, ParseResult parse)
    {
        try
        {
            var config = options.Load(parse);
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the loader reports (YAML syntax, unknown key, wrong type, out-of-range value) is a configuration
            // error: exit code 2, with the loader's message, rather than a stack trace.
            Console.Error.WriteLine($"error: configuration: {e.Message}");
            return null;
        }
    }
}
