using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Features.Library;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>The raw values of a feature set over a panel: one [T, N] array per feature, in the set's order.</summary>
/// <param name="Version">The version of the features computed (the set less any dropped feature).</param>
/// <param name="Dropped">Features left out because a field they read is not stored for any symbol and session of the panel, each with that field.</param>
public sealed record FeatureFrame(string SetName, string Version, IReadOnlyList<string> Names, float[][] Values, IReadOnlyList<string> Dropped);

/// <summary>The configured feature set (features.set): a registered set or a feature-set YAML file, and its computation.</summary>
public static class PipelineFeatures
{
    /// <summary>The set features.set names; a YAML path is read relative to the working folder.</summary>
    public static FeatureSet Resolve(PipelineConfig config, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (ComponentRegistry.IsFeatureSetFile(config.FeatureSet))
        {
            var path = Path.GetFullPath(config.FeatureSet, workingDirectory);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"features.set names the feature-set file {path}, which does not exist; write it (see README, 'Feature-set files') or choose one of {string.Join(", ", ComponentRegistry.FeatureSets.Names)}.", path);
            }

            return FeatureSetYaml.Load(path);
        }

        return ComponentRegistry.FeatureSets.Get(config.FeatureSet).Value();
    }

    /// <summary>Sessions of history the set reads before a row (its compiled lookback).</summary>
    public static int Lookback(FeatureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return set.Compile().Lookback;
    }

    /// <summary>The bar fields to load: open, high, low, close and volume, and vwap when the set reads it.</summary>
    public static IReadOnlyList<string> Fields(FeatureSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var read = set.Compile().Fields.Select(f => f.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var unknown = read.Where(f => !BarFields.All.Contains(f) && f != "vwap").ToArray();
        if (unknown.Length > 0)
        {
            var users = set.Features.Where(f => unknown.Any(u => f.Expression.Contains("$" + u, StringComparison.OrdinalIgnoreCase))).Select(f => f.Name).Take(5);
            throw new InvalidOperationException($"Feature set {set.Name} reads {string.Join(", ", unknown.Select(u => "$" + u))} (in {string.Join(", ", users)}), which the market store does not hold; stored fields are {string.Join(", ", BarFields.All)} and vwap. Remove those features or ingest the field.");
        }

        return [.. BarFields.All, .. read.Where(f => f == "vwap")];
    }

    /// <summary>
    /// Computes the set over the panel. A feature reading a field that holds no value anywhere in the panel (the store
    /// has no vwap, say) is dropped and named in <see cref="FeatureFrame.Dropped"/>; a field the store cannot hold at all
    /// is refused with the feature and the field named.
    /// </summary>
    public static FeatureFrame Compute(FeatureSet set, Panel panel, IComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(panel);
        var kept = new List<FeatureDefinition>();
        var dropped = new List<string>();
        foreach (var feature in set.Features)
        {
            var fields = FeatureCompiler.Compile([feature]).Fields.Select(f => f.ToLowerInvariant()).ToArray();
            var unknown = fields.FirstOrDefault(f => !panel.HasField(f));
            if (unknown is not null)
            {
                throw new InvalidOperationException($"Feature {feature.Name} of feature set {set.Name} reads ${unknown}, which the market store does not hold (stored fields: {string.Join(", ", BarFields.All)}, vwap); remove the feature or ingest the field.");
            }

            var empty = fields.FirstOrDefault(f => !panel.Field(f).Any(float.IsFinite));
            if (empty is not null)
            {
                dropped.Add($"{feature.Name} (no ${empty} stored)");
                continue;
            }

            kept.Add(feature);
        }

        if (kept.Count == 0)
        {
            throw new InvalidOperationException($"Every feature of feature set {set.Name} reads a field with no stored value ({string.Join("; ", dropped)}); ingest those fields or choose another features.set.");
        }

        var used = dropped.Count == 0 ? set : new FeatureSet(set.Name, kept, set.Description);
        var compiled = used.Compile();
        var inputs = compiled.Fields.ToDictionary(f => f, f => panel.Field(f.ToLowerInvariant()), StringComparer.OrdinalIgnoreCase);
        var values = FeatureEvaluator.Evaluate(compiled, inputs, panel.T, panel.N, backend, panel.Membership);
        var names = used.Features.Select(f => f.Name).ToArray();
        return new FeatureFrame(set.Name, used.Version, names, [.. names.Select(name => values[name])], dropped);
    }
}
