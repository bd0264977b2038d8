using System.Collections;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// Reads the pipeline's configuration: the defaults, then the YAML file, then environment variables, then
/// <c>--set section.key=value</c> overrides, each layer overriding the one before. Keys, types and ranges come from
/// <see cref="PipelineConfigSchema"/>; every problem (unknown key with a suggestion, wrong type, value out of range)
/// is collected with its file, line and column, environment variable or override, and reported at once.
/// </summary>
/// <remarks>
/// Environment variables: <c>QP_</c> followed by the key in capitals with <c>__</c> between sections, e.g.
/// <c>QP_TRAINING__EPOCHS=4</c>, <c>QP_MONITORING__RETRAIN__DECAY_SESSIONS=5</c>, <c>QP_MODEL_NAME=alpha</c>.
/// A QP_ variable with <c>__</c> that names no setting is an error (a typo would otherwise be ignored silently);
/// other QP_ variables belong to other tools and are left alone.
/// </remarks>
public static class PipelineConfigFile
{
    public const string EnvironmentPrefix = "QP_";

    /// <summary>Loads with the process's environment variables.</summary>
    public static PipelineConfig Load(string? path, IReadOnlyList<string>? sets = null) =>
        Load(path, sets, ProcessEnvironment());

    public static PipelineConfig Load(string? path, IReadOnlyList<string>? sets, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<ConfigProblem>();
        var layers = new List<Dictionary<ConfigSetting, (object? Value, string Where)>>();
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Configuration file '{Path.GetFullPath(path)}' does not exist; write a commented default with 'qp init --path {path}'.", path);
            }

            layers.Add(ReadFile(path, problems));
        }

        layers.Add(ReadEnvironment(environment, problems));
        layers.Add(ReadSets(sets ?? [], problems));

        var config = new PipelineConfig();
        var origins = new Dictionary<ConfigSetting, string>();
        foreach (var layer in layers)
        {
            foreach (var (setting, (value, where)) in layer)
            {
                setting.Set(config, value);
                origins[setting] = where;
            }
        }

        foreach (var (setting, message) in PipelineConfigSchema.Problems(config))
        {
            problems.Add(new ConfigProblem(origins.GetValueOrDefault(setting), message));
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return config;
    }

    /// <summary>The process's QP_ environment variables.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                variables[key] = entry.Value as string ?? string.Empty;
            }
        }

        return variables;
    }

    private static Dictionary<ConfigSetting, (object?, string)> ReadFile(string path, List<ConfigProblem> problems)
    {
        var values = new Dictionary<ConfigSetting, (object?, string)>();
        var name = Path.GetFileName(path);
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            problems.Add(new ConfigProblem(At(name, e.Start), $"not valid YAML: {e.Message}"));
            return values;
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return values;
        }

        if (yaml.Documents.Count > 1)
        {
            problems.Add(new ConfigProblem(At(name, yaml.Documents[1].RootNode.Start), "the file holds more than one YAML document; keep one"));
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new ConfigProblem(At(name, yaml.Documents[0].RootNode.Start), "expected a mapping of settings (key: value lines) at the top level"));
            return values;
        }

        Walk(root, string.Empty, name, values, problems);
        return values;
    }

    private static void Walk(YamlMappingNode mapping, string prefix, string file, Dictionary<ConfigSetting, (object?, string)> values, List<ConfigProblem> problems)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var where = At(file, keyNode.Start);
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                problems.Add(new ConfigProblem(where, "expected a setting name here"));
                continue;
            }

            var path = prefix + key;
            var setting = PipelineConfigSchema.Find(path);
            if (valueNode is YamlMappingNode section && PipelineConfigSchema.IsSection(path))
            {
                Walk(section, path + ".", file, values, problems);
                continue;
            }

            if (setting is null && valueNode is YamlMappingNode)
            {
                var near = PipelineConfigSchema.SuggestSection(path);
                problems.Add(new ConfigProblem(where, $"unknown section '{path}'" + (near is null ? "; 'qp init' writes a file listing every section" : $"; did you mean '{near}'?")));
                continue;
            }

            if (setting is null)
            {
                problems.Add(new ConfigProblem(where, Unknown(PipelineConfigSchema.IsSection(path) ? $"'{path}' is a section: write its settings indented below it" : null, path, p => $"'{p}'")));
                continue;
            }

            object? value;
            string? error;
            switch (valueNode)
            {
                case YamlScalarNode scalar:
                    ConfigValues.TryParse(setting, scalar.Value, scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted, out value, out error);
                    break;
                case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                    ConfigValues.TryList(setting, [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? string.Empty)], out value, out error);
                    break;
                default:
                    (value, error) = (null, $"expected {setting.TypeName}, got a {(valueNode is YamlMappingNode ? "mapping" : "nested list")}");
                    break;
            }

            var valueWhere = At(file, valueNode.Start);
            if (error is not null)
            {
                problems.Add(new ConfigProblem(valueWhere, $"{path}: {error}"));
            }
            else if (values.TryGetValue(setting, out var earlier))
            {
                problems.Add(new ConfigProblem(where, $"{path} sets {setting.Key} a second time (first at {earlier.Item2}); keep one"));
            }
            else
            {
                values[setting] = (value, valueWhere);
            }
        }
    }

    private static Dictionary<ConfigSetting, (object?, string)> ReadEnvironment(IReadOnlyDictionary<string, string> environment, List<ConfigProblem> problems)
    {
        var values = new Dictionary<ConfigSetting, (object?, string)>();
        foreach (var (variable, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!variable.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = variable[EnvironmentPrefix.Length..].Replace("__", ".", StringComparison.Ordinal).ToLowerInvariant();
            var where = $"environment variable {variable}";
            if (PipelineConfigSchema.Find(path) is not { } setting)
            {
                if (variable.Contains("__", StringComparison.Ordinal))
                {
                    problems.Add(new ConfigProblem(where, Unknown(null, path, ConfigSetting.EnvironmentName)));
                }

                continue;
            }

            Parse(setting, text, where, values, problems);
        }

        return values;
    }

    private static Dictionary<ConfigSetting, (object?, string)> ReadSets(IReadOnlyList<string> sets, List<ConfigProblem> problems)
    {
        var values = new Dictionary<ConfigSetting, (object?, string)>();
        foreach (var set in sets)
        {
            var where = $"--set {set}";
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                problems.Add(new ConfigProblem(where, "expected section.key=value, e.g. --set training.epochs=4"));
                continue;
            }

            var path = set[..eq].Trim();
            if (PipelineConfigSchema.Find(path) is not { } setting)
            {
                problems.Add(new ConfigProblem(where, Unknown(null, path, p => $"'{p}'")));
                continue;
            }

            Parse(setting, set[(eq + 1)..].Trim(), where, values, problems);
        }

        return values;
    }

    private static void Parse(ConfigSetting setting, string text, string where, Dictionary<ConfigSetting, (object?, string)> values, List<ConfigProblem> problems)
    {
        if (ConfigValues.TryParse(setting, text, quoted: false, out var value, out var error))
        {
            values[setting] = (value, where);
        }
        else
        {
            problems.Add(new ConfigProblem(where, $"{setting.Key}: {error}"));
        }
    }

    private static string Unknown(string? reason, string path, Func<string, string> spell)
    {
        var suggestion = PipelineConfigSchema.Suggest(path);
        return (reason ?? $"unknown setting {spell(path)}")
            + (suggestion is null ? "; 'qp init' writes a file listing every setting" : $"; did you mean {spell(suggestion)}?");
    }

    private static string At(string file, Mark mark) => $"{file} line {mark.Line}, column {mark.Column}";
}
