using QuantPipeline.Core.Panels;

namespace QuantPipeline.Training.Data;

/// <summary>
/// Feature panels, a label panel and the universe mask over the same dates and symbols, all
/// time-major [T, N] float32 as the compute kernels produce them. Nothing is copied here.
/// </summary>
public sealed class TrainingPanels
{
    public TrainingPanels(
        IReadOnlyList<DateTime> dates,
        IReadOnlyList<string> symbols,
        IReadOnlyList<string> featureNames,
        IReadOnlyList<float[]> features,
        float[] labels,
        bool[] membership)
    {
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(membership);
        var cells = (long)dates.Count * symbols.Count;
        if (featureNames.Count != features.Count || featureNames.Count == 0)
        {
            throw new ArgumentException($"Got {featureNames.Count} feature names for {features.Count} feature panels; give one name per panel (at least one).");
        }

        for (var f = 0; f < features.Count; f++)
        {
            if (features[f].Length != cells)
            {
                throw new ArgumentException($"Feature '{featureNames[f]}' has {features[f].Length} values; {dates.Count} dates × {symbols.Count} symbols need {cells}.");
            }
        }

        if (labels.Length != cells || membership.Length != cells)
        {
            throw new ArgumentException($"Labels have {labels.Length} and membership {membership.Length} values; {dates.Count} dates × {symbols.Count} symbols need {cells}.");
        }

        Dates = dates;
        Symbols = symbols;
        FeatureNames = featureNames;
        Features = features;
        Labels = labels;
        Membership = membership;
    }

    public IReadOnlyList<DateTime> Dates { get; }

    public IReadOnlyList<string> Symbols { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<float[]> Features { get; }

    public float[] Labels { get; }

    public bool[] Membership { get; }

    public int T => Dates.Count;

    public int N => Symbols.Count;

    public int F => Features.Count;

    /// <summary>Views the named fields of a panel; the label field usually holds a forward return.</summary>
    public static TrainingPanels FromPanel(Panel panel, IReadOnlyList<string> featureNames, string labelField)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(featureNames);
        var features = featureNames.Select(panel.Field).ToArray();
        return new TrainingPanels(panel.Timestamps, panel.Symbols, featureNames, features, panel.Field(labelField), panel.Membership);
    }

    /// <summary>Index range [from, to) of the dates within [first, last] (inclusive).</summary>
    public (int From, int To) DateRange(DateTime first, DateTime last)
    {
        var from = 0;
        while (from < T && Dates[from] < first)
        {
            from++;
        }

        var to = from;
        while (to < T && Dates[to] <= last)
        {
            to++;
        }

        return (from, to);
    }
}
