namespace QuantPipeline.Core.Validation;

/// <summary>
/// One split of samples (indices into the label spans): what to train on, validate on and test on, and how many
/// training candidates purging and the embargo removed.
/// </summary>
public sealed record DataSplit(int[] Train, int[] Validation, int[] Test, int Purged, int Embargoed)
{
    /// <summary>For combinatorial purged CV: the groups tested in this split (empty otherwise).</summary>
    public int[] TestGroups { get; init; } = [];

    /// <summary>For walk-forward: the session index of the retrain (the first test session); −1 otherwise.</summary>
    public int RetrainSession { get; init; } = -1;

    /// <summary>Keeps the candidates no held-out block excludes; counts purged and embargoed ones.</summary>
    internal static (int[] Kept, int Purged, int Embargoed) Purge(IReadOnlyList<LabelSpan> spans, IEnumerable<int> candidates, IReadOnlyList<HeldOutBlock> blocks)
    {
        var kept = new List<int>();
        int purged = 0, embargoed = 0;
        foreach (var i in candidates)
        {
            var label = spans[i];
            var overlap = false;
            var embargo = false;
            foreach (var b in blocks)
            {
                if (label.Overlaps(b.LabelStart, b.LabelEnd))
                {
                    overlap = true;
                    break;
                }

                embargo |= b.Excludes(label);
            }

            if (overlap)
            {
                purged++;
            }
            else if (embargo)
            {
                embargoed++;
            }
            else
            {
                kept.Add(i);
            }
        }

        return ([.. kept], purged, embargoed);
    }
}
