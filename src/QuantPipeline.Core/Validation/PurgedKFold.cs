namespace QuantPipeline.Core.Validation;

/// <summary>
/// k-fold cross-validation on time-ordered samples with purging and an embargo (López de Prado, AFML ch. 7):
/// each fold tests one contiguous group; training keeps the other samples whose labels do not overlap the test
/// block's [first label start, last label END] and that do not start within the embargo after it.
/// </summary>
public static class PurgedKFold
{
    public static IReadOnlyList<DataSplit> Split(IReadOnlyList<LabelSpan> spans, int folds, int embargoSessions = 0)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentOutOfRangeException.ThrowIfNegative(embargoSessions);
        LabelSpan.Validate(spans);
        var groups = SampleGroups.Split(spans.Count, folds);
        var splits = new List<DataSplit>(folds);
        foreach (var (first, last) in groups)
        {
            var block = HeldOutBlock.Of(spans, first, last, embargoSessions);
            var candidates = Enumerable.Range(0, spans.Count).Where(i => i < first || i > last);
            var (train, purged, embargoed) = DataSplit.Purge(spans, candidates, [block]);
            splits.Add(new DataSplit(train, [], [.. Enumerable.Range(first, last - first + 1)], purged, embargoed));
        }

        return splits;
    }
}
