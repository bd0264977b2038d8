using System.Security.Cryptography;
using System.Text;
using QuantPipeline.Core.Features;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Storage.Audit;

namespace QuantPipeline.Orchestrator.Lineage;

/// <summary>Content hashes that identify a configuration and a feature set in a version's lineage.</summary>
public static class LineageHashes
{
    /// <summary>
    /// The configuration as canonical JSON (snake_case names, sorted keys): what is stored and hashed. Component
    /// settings at their default are left out (<see cref="ComponentRules.OmittedWhenDefault"/>), so the hashes of
    /// configurations from before the components existed did not change.
    /// </summary>
    public static string CanonicalConfig(PipelineConfig config) => CanonicalJson.Canonicalize(ComponentRules.WithoutDefaults(config));

    public static string ConfigHash(PipelineConfig config) => Sha256(CanonicalConfig(config));

    /// <summary>
    /// The feature set's version: a hash of what defines the model's inputs (the feature names in order, their
    /// lookback and the cross-sectional transform), so any change to them gives a new version.
    /// </summary>
    public static string FeatureSetVersion() =>
        "fs-" + Sha256(CanonicalJson.Serialize(new
        {
            features = SkeletonFeatureSet.Names,
            lookback = SkeletonFeatureSet.Lookback,
            transform = "cross_sectional_zscore_clip_5",
            label = "next_session_return_zscore_clip_3",
        }))[..16];

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
