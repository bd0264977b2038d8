using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// Reads the pipeline's YAML configuration file: keys are the snake_case names of <see cref="PipelineConfig"/>;
/// <c>--set key=value</c> overrides apply last. Without a file, the defaults apply.
/// </summary>
public static class PipelineConfigFile
{
    public static PipelineConfig Load(string? path, IReadOnlyList<string>? sets = null)
    {
        var json = new JsonObject();
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Configuration file '{Path.GetFullPath(path)}' does not exist; write a commented default with 'qp init'.", path);
            }

            var yaml = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                yaml.Load(reader);
            }

            if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root)
            {
                foreach (var (key, value) in root.Children)
                {
                    json[((YamlScalarNode)key).Value!] = Scalar(((YamlScalarNode)value).Value);
                }
            }
        }

        foreach (var set in sets ?? [])
        {
            var eq = set.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--set expects key=value, got '{set}'.");
            }

            json[set[..eq].Trim()] = Scalar(set[(eq + 1)..].Trim());
        }

        var config = json.Deserialize<PipelineConfig>() ?? new PipelineConfig();
        config.Validate();
        return config;
    }

    private static JsonNode? Scalar(string? text)
    {
        if (text is null or "null" or "~")
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
