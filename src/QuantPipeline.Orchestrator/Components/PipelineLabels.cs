using QuantPipeline.Core.Compute;
using QuantPipeline.Orchestrator.Config;

namespace QuantPipeline.Orchestrator.Components;

/// <summary>The one label function of the pipeline (labels.kind, labels.horizon): training, validation, monitoring and backfill all read it.</summary>
public static class PipelineLabels
{
    /// <summary>Sessions after a row at which its label ends: purging and the windows use it.</summary>
    public static int EndOffset(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ComponentRegistry.Labels.Get(config.LabelKind).Value.StartOffset + config.LabelHorizon;
    }

    /// <summary>The raw label over a [T, N] close panel: NaN where it would end past the last session.</summary>
    public static float[] Compute(PipelineConfig config, ReadOnlySpan<float> close, int t, int n)
    {
        ArgumentNullException.ThrowIfNull(config);
        var forward = new float[t * n];
        PanelOps.ForwardReturn(close, forward, t, n, config.LabelHorizon);
        var start = ComponentRegistry.Labels.Get(config.LabelKind).Value.StartOffset;
        if (start == 0)
        {
            return forward;
        }

        // The return from the close start sessions later: row i takes row i + start of the forward return.
        var label = new float[t * n];
        Array.Fill(label, float.NaN);
        if (t > start)
        {
            forward.AsSpan(start * n, (t - start) * n).CopyTo(label);
        }

        return label;
    }

    /// <summary>Identifies the label in lineage: kind, horizon and the clip of its cross-sectional z-score.</summary>
    public static string Id(PipelineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FormattableString.Invariant($"{config.LabelKind}_h{config.LabelHorizon}_zscore_clip_{config.LabelZScoreClip}");
    }
}
