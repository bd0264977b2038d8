using System.Globalization;
using System.Text.Json;
using QuantPipeline.Core.Features;
using QuantPipeline.Orchestrator.Components;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;
using QuantPipeline.Training;
using QuantPipeline.Training.Models;

namespace QuantPipeline.Orchestrator.Deploy;

public sealed record InferenceResult(string ModelName, int Version, DateOnly AsOf, string CsvPath, IReadOnlyList<SignalRow> Rows);

/// <summary>
/// Scores the universe for one as-of date with the version an alias (production by default) points to:
/// the artifact is loaded only after its SHA-256 checks out, the inputs are computed point-in-time with the
/// version's own configuration, and the signals go to CSV, Parquet, Arrow and the registry's signals table.
/// Running it again for the same date and version rewrites identical outputs.
/// </summary>
public static class BatchInference
{
    public static InferenceResult Run(ModelRegistry registry, string workingDirectory, string modelName, DateOnly asOf, string alias = ModelRegistry.Production)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var holder = registry.GetAlias(modelName, alias)
            ?? throw new InvalidOperationException($"{modelName} has no '{alias}' version to run; promote one first (qp registry promote {modelName} VERSION --alias {alias}).");
        var version = registry.GetVersion(modelName, holder.Version);
        return Run(registry, workingDirectory, version, asOf, model => null);
    }

    /// <summary>Runs a given version; <paramref name="score"/> may supply predictions already computed in memory for the same inputs (null to load the artifact).</summary>
    internal static InferenceResult Run(ModelRegistry registry, string workingDirectory, ModelVersion version, DateOnly asOf, Func<float[][], float[]?> score)
    {
        var config = ConfigOf(version);
        var storePath = Path.Combine(workingDirectory, config.MarketStorePath);
        if (!File.Exists(storePath))
        {
            throw new FileNotFoundException($"No market store at {storePath}; run the pipeline in {workingDirectory} first, or pass the folder it ran in.");
        }

        Core.Panels.Panel panel;
        using (var store = MarketStore.Open(storePath, readOnly: true))
        {
            panel = ModelInputs.Load(store, config, asOf, workingDirectory: workingDirectory).Panel;
        }

        var last = DateOnly.FromDateTime(panel.Timestamps[^1]);
        if (last != asOf)
        {
            throw new InvalidOperationException($"No bars are stored for the as-of date {asOf:yyyy-MM-dd}; the last session on or before it is {last:yyyy-MM-dd}. Ingest that date's bars or run for {last:yyyy-MM-dd}.");
        }

        var inputs = InputsOf(version, config, panel, workingDirectory);
        var scores = score(inputs) ?? PredictWithArtifact(version, inputs, panel);
        var asOfText = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ranked = Enumerable.Range(0, panel.N).Where(j => float.IsFinite(scores[j])).OrderByDescending(j => scores[j]).ThenBy(j => j).ToList();
        var rows = ranked.Select((j, r) => new SignalRow
        {
            AsOf = asOfText,
            Symbol = panel.Symbols[j],
            Score = scores[j],
            Rank = r + 1,
            ModelName = version.ModelName,
            ModelVersion = version.Version,
        }).ToList();
        var csv = SignalFiles.Write(Path.Combine(workingDirectory, "signals"), version.ModelName, version.Version, asOf, rows);
        registry.ReplaceSignals(version.ModelName, version.Version, asOf, rows.Select(r => (r.Symbol, r.Score, r.Rank)).ToList());
        return new InferenceResult(version.ModelName, version.Version, asOf, csv, rows);
    }

    /// <summary>The configuration a version was trained with, from its lineage.</summary>
    public static PipelineConfig ConfigOf(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var json = version.Lineage?.ConfigJson
            ?? throw new InvalidOperationException($"{version.Reference} was registered without its configuration in the lineage, so it cannot be rerun; retrain and register it with this qp.");
        return JsonSerializer.Deserialize<PipelineConfig>(json)
            ?? throw new InvalidOperationException($"{version.Reference} has an empty configuration in its lineage.");
    }

    /// <summary>Loads the version's weights after verifying their SHA-256 (the verified bytes are the ones loaded).</summary>
    public static MlpRegressor LoadModel(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var bytes = ContentAddressedArtifactStore.ReadAllVerified(version.ArtifactPath, version.ArtifactSha256, version.Reference);
        var hidden = version.Parameters.TryGetValue("hidden", out var h)
            ? h.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray()
            : [64, 32];
        var model = new MlpRegressor(SkeletonFeatureSet.Names.Length, hidden);
        using var stream = new MemoryStream(bytes, writable: false);
        model.load(stream);
        model.eval();
        return model;
    }

    /// <summary>
    /// The model inputs a version reads over a panel: the z-scored six for the default path; otherwise the raw values of
    /// the feature set it recorded, checked to be the very features it was trained on.
    /// </summary>
    public static float[][] InputsOf(ModelVersion version, PipelineConfig config, Core.Panels.Panel panel, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(panel);
        if (ComponentRecord.Read(version.Parameters) is not { } record)
        {
            return ModelInputs.Compute(panel, ModelInputs.Backend(config), (float)config.FeatureZScoreClip);
        }

        var frame = PipelineFeatures.Compute(ModelInputs.FeatureSetOf(config, workingDirectory), panel, ModelInputs.Backend(config));
        if (frame.Version != record.FeatureSetVersion || !frame.Names.SequenceEqual(record.Features, StringComparer.Ordinal))
        {
            throw new InvalidOperationException(
                $"{version.Reference} was trained on feature set {record.FeatureSet} version {record.FeatureSetVersion} ({record.Features.Count} features), but {config.FeatureSet} now gives version {frame.Version} ({frame.Names.Count} features{(frame.Dropped.Count > 0 ? $"; dropped {string.Join(", ", frame.Dropped)}" : string.Empty)}). Restore the feature-set file or the stored fields it was trained on, or retrain.");
        }

        return frame.Values;
    }

    /// <summary>
    /// Rebuilds a version's model from its verified artifact and the components it recorded (the default path's MLP
    /// for versions without a component record, those registered before components existed included).
    /// </summary>
    public static PipelineModel LoadPipelineModel(ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (ComponentRecord.Read(version.Parameters) is not { } record)
        {
            return new LegacyMlpModel(LoadModel(version));
        }

        var bytes = ContentAddressedArtifactStore.ReadAllVerified(version.ArtifactPath, version.ArtifactSha256, version.Reference);
        return ComponentModel.Load(ConfigOf(version), record.Processors, bytes);
    }

    private static float[] PredictWithArtifact(ModelVersion version, float[][] inputs, Core.Panels.Panel panel)
    {
        using var model = LoadPipelineModel(version);
        return model.Predict(inputs, panel, panel.T - 1, panel.T - 1);
    }
}
