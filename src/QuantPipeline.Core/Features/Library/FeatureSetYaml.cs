using QuantPipeline.Core.Features.Expressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QuantPipeline.Core.Features.Library;

/// <summary>
/// Reads and writes feature-set files:
/// <code>
/// name: my_set
/// description: optional text
/// features:
///   KMID: ($close-$open)/$open
///   MA5: Mean($close, 5)/$close
/// </code>
/// Feature order is kept (it is the column order of outputs); the version ignores it. A 'version' key is
/// informational: the version is always recomputed from the features.
/// </summary>
public static class FeatureSetYaml
{
    public static FeatureSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static FeatureSet Parse(TextReader reader, string source = "<yaml>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{source}: expected a mapping with 'name' and 'features'.");
        }

        string? name = null;
        string? description = null;
        var features = new List<FeatureDefinition>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "name":
                    name = Scalar(valueNode, source, "name");
                    break;
                case "version":
                    // Written by Save for readers; the version is always recomputed from the features.
                    break;
                case "description":
                    description = Scalar(valueNode, source, "description");
                    break;
                case "features":
                    if (valueNode is not YamlMappingNode map)
                    {
                        throw new FormatException($"{source}: line {valueNode.Start.Line}: 'features' must be a mapping of NAME: expression.");
                    }

                    foreach (var (featureKey, featureValue) in map.Children)
                    {
                        var featureName = Scalar(featureKey, source, "feature name");
                        var expression = Scalar(featureValue, source, $"expression of {featureName}");
                        try
                        {
                            ExpressionParser.Parse(expression);
                        }
                        catch (ExpressionSyntaxException e)
                        {
                            throw new FormatException($"{source}: line {featureValue.Start.Line}: {e.ForFeature(featureName).Message}", e);
                        }

                        features.Add(new FeatureDefinition(featureName, expression));
                    }

                    break;
                default:
                    throw new FormatException($"{source}: line {keyNode.Start.Line}: unknown key '{key}'; a feature set has 'name', 'description', 'version' and 'features'.");
            }
        }

        if (name is null)
        {
            throw new FormatException($"{source}: the set has no 'name'.");
        }

        if (features.Count == 0)
        {
            throw new FormatException($"{source}: the set '{name}' has no features.");
        }

        var duplicate = features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{source}: feature '{duplicate.Key}' is defined more than once.");
        }

        return new FeatureSet(name, features, description);
    }

    public static void Save(FeatureSet set, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(writer);
        var root = new YamlMappingNode { { "name", set.Name } };
        if (set.Description is not null)
        {
            root.Add("description", set.Description);
        }

        root.Add("version", set.Version);
        var features = new YamlMappingNode();
        foreach (var feature in set.Features)
        {
            features.Add(feature.Name, new YamlScalarNode(feature.Expression) { Style = ScalarStyle.SingleQuoted });
        }

        root.Add("features", features);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
    }

    private static string Scalar(YamlNode node, string source, string what) =>
        node is YamlScalarNode { Value: { } value }
            ? value
            : throw new FormatException($"{source}: line {node.Start.Line}, column {node.Start.Column}: {what} must be a single value.");
}
