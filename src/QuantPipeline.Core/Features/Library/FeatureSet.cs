using System.Security.Cryptography;
using System.Text;
using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Features.Library;

/// <summary>
/// A named, ordered set of feature expressions. Its <see cref="Version"/> is the SHA-256 of the canonical form
/// (features sorted by name, each expression re-printed from its syntax tree), so spacing, redundant parentheses
/// and ordering do not change the version while any change of meaning does. The version goes into lineage.
/// </summary>
public sealed class FeatureSet
{
    private CompiledFeatureSet? _compiled;

    public FeatureSet(string name, IReadOnlyList<FeatureDefinition> features, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(features);
        Name = name;
        Description = description;
        Features = features;
        CanonicalForm = BuildCanonicalForm(features);
        Version = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalForm)));
    }

    public string Name { get; }

    public string? Description { get; }

    public IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>One line per feature, sorted by name: NAME=canonical expression.</summary>
    public string CanonicalForm { get; }

    public string Version { get; }

    public IEnumerable<string> Names => Features.Select(f => f.Name);

    /// <summary>The set compiled once (features reject look-ahead).</summary>
    public CompiledFeatureSet Compile() => _compiled ??= FeatureCompiler.Compile(Features);

    private static string BuildCanonicalForm(IReadOnlyList<FeatureDefinition> features)
    {
        var lines = new List<string>(features.Count);
        foreach (var feature in features)
        {
            string canonical;
            try
            {
                canonical = ExpressionParser.Parse(feature.Expression).ToCanonical();
            }
            catch (ExpressionSyntaxException e)
            {
                throw e.ForFeature(feature.Name);
            }

            lines.Add(feature.Name + "=" + canonical);
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines) + "\n";
    }
}
