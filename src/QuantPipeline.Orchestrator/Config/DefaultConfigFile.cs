using System.Text;
using System.Text.Json;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// The commented configuration file that <c>qp init</c> writes: every setting of <see cref="PipelineConfigSchema"/>
/// with its value (the defaults unless a configuration is given), meaning and environment variable. Loading it gives
/// back exactly the configuration it was written from.
/// </summary>
public static class DefaultConfigFile
{
    public static string Text(PipelineConfig? config = null)
    {
        var values = config ?? new PipelineConfig();
        var defaults = new PipelineConfig();
        var text = new StringBuilder();
        text.Append("""
            # QuantPipeline configuration. Every setting is shown with its value; a comment gives the default where it differs.
            # Precedence: defaults < this file < environment variables < --set on the command line.
            #   environment: QP_ + the key in capitals, __ between sections, e.g. QP_TRAINING__EPOCHS=4
            #   command line: --set training.epochs=4 (repeatable)
            # Unknown keys, wrong types and out-of-range values are reported with their line and column.

            # The original specification's fields (also accepted as universe.name, training.window_days,
            # validation.window_days, schedule.frequency, gate.min_sharpe, gate.max_drawdown, registry.uri).

            """);
        foreach (var setting in PipelineConfigSchema.Settings.Where(s => s.Section.Length == 0))
        {
            Write(text, setting, values, defaults, indent: string.Empty);
        }

        foreach (var (section, description) in PipelineConfigSchema.Sections)
        {
            var depth = section.Count(c => c == '.');
            var indent = new string(' ', 2 * depth);
            text.Append('\n').Append(indent).Append("# ").Append(description).Append('\n');
            text.Append(indent).Append(section[(section.LastIndexOf('.') + 1)..]).Append(":\n");
            foreach (var setting in PipelineConfigSchema.Settings.Where(s => s.Section == section))
            {
                Write(text, setting, values, defaults, indent + "  ");
            }
        }

        return text.ToString();
    }

    private static void Write(StringBuilder text, ConfigSetting setting, PipelineConfig values, PipelineConfig defaults, string indent)
    {
        var value = Yaml(setting.Get(values));
        var standard = Yaml(setting.Get(defaults));
        text.Append(indent).Append("# ").Append(setting.Description).Append(" [").Append(setting.EnvironmentVariable).Append(']')
            .Append(value == standard ? string.Empty : $" (default {standard})").Append('\n');
        text.Append(indent).Append(setting.Name).Append(": ").Append(value).Append('\n');
    }

    /// <summary>Text is double-quoted (YAML's double-quoted style accepts JSON string escapes), so no value is misread.</summary>
    private static string Yaml(object? value) =>
        value is string s ? JsonSerializer.Serialize(s) : ConfigSetting.Format(value);
}
