namespace QuantPipeline.Core.Labels;

/// <summary>
/// Label values [t, n] time-major, with the index of the last bar each row's label reads (<see cref="EndIndex"/>,
/// −1 where the label is not known yet). Purged validation drops training rows whose end reaches into the test span.
/// </summary>
public sealed record LabelPanel(string Name, float[] Values, int[] EndIndex, IReadOnlyList<DateTime> Timestamps, int N)
{
    public int T => Timestamps.Count;

    /// <summary>The time the label of row <paramref name="row"/> is finally known, or null when it is not.</summary>
    public DateTime? EndTime(int row) => EndIndex[row] >= 0 ? Timestamps[EndIndex[row]] : null;
}
