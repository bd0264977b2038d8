namespace QuantPipeline.Core.Validation;

/// <summary>
/// A contiguous block of held-out samples and the sessions its labels cover: from the earliest label start to the
/// latest label END. Training samples whose labels touch this interval are purged; those starting in the
/// <see cref="EmbargoSessions"/> sessions after <see cref="LabelEnd"/> are embargoed.
/// </summary>
public readonly record struct HeldOutBlock(int FirstSample, int LastSample, int LabelStart, int LabelEnd, int EmbargoSessions)
{
    public static HeldOutBlock Of(IReadOnlyList<LabelSpan> spans, int firstSample, int lastSample, int embargoSessions)
    {
        int start = int.MaxValue, end = int.MinValue;
        for (var k = firstSample; k <= lastSample; k++)
        {
            start = Math.Min(start, spans[k].Start);
            // The block ends where its longest label ends, not where its last sample starts.
            end = Math.Max(end, spans[k].End);
        }

        return new HeldOutBlock(firstSample, lastSample, start, end, embargoSessions);
    }

    /// <summary>True when a training sample with this label must be dropped for this block.</summary>
    public bool Excludes(LabelSpan label) =>
        label.Overlaps(LabelStart, LabelEnd) || (label.Start > LabelEnd && label.Start <= LabelEnd + EmbargoSessions);
}
