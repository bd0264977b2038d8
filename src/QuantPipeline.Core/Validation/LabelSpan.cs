namespace QuantPipeline.Core.Validation;

/// <summary>
/// When a sample's label is observed: from the session of the observation (<see cref="Start"/>) to the last
/// session whose prices the label uses (<see cref="End"/>), both inclusive, as indices into the session list.
/// A next-session return observed at session t has the span (t, t + 1).
/// </summary>
public readonly record struct LabelSpan(int Start, int End)
{
    public bool Overlaps(int from, int to) => Start <= to && End >= from;

    /// <summary>Spans for dated samples; every date must be a session of <paramref name="sessions"/> (sorted ascending).</summary>
    public static LabelSpan[] FromDates(IReadOnlyList<DateOnly> sessions, IReadOnlyList<(DateOnly Start, DateOnly End)> samples)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(samples);
        var index = new Dictionary<DateOnly, int>(sessions.Count);
        for (var k = 0; k < sessions.Count; k++)
        {
            if (k > 0 && sessions[k] <= sessions[k - 1])
            {
                throw new ArgumentException($"Sessions must be strictly ascending; {sessions[k]:yyyy-MM-dd} follows {sessions[k - 1]:yyyy-MM-dd} at position {k}.", nameof(sessions));
            }

            index[sessions[k]] = k;
        }

        var spans = new LabelSpan[samples.Count];
        for (var k = 0; k < samples.Count; k++)
        {
            var (start, end) = samples[k];
            if (!index.TryGetValue(start, out var s) || !index.TryGetValue(end, out var e))
            {
                var missing = index.ContainsKey(start) ? end : start;
                throw new ArgumentException($"Sample {k}: {missing:yyyy-MM-dd} is not a session of the calendar ({sessions[0]:yyyy-MM-dd}..{sessions[^1]:yyyy-MM-dd}).", nameof(samples));
            }

            if (e < s)
            {
                throw new ArgumentException($"Sample {k}: the label ends {end:yyyy-MM-dd}, before it starts {start:yyyy-MM-dd}.", nameof(samples));
            }

            spans[k] = new LabelSpan(s, e);
        }

        return spans;
    }

    internal static void Validate(IReadOnlyList<LabelSpan> spans)
    {
        for (var k = 0; k < spans.Count; k++)
        {
            if (spans[k].Start < 0 || spans[k].End < spans[k].Start)
            {
                throw new ArgumentException($"Sample {k}: label span {spans[k].Start}..{spans[k].End} is not a valid session range (0 ≤ start ≤ end).", nameof(spans));
            }

            if (k > 0 && spans[k].Start < spans[k - 1].Start)
            {
                throw new ArgumentException($"Samples must be sorted by label start; sample {k} starts at session {spans[k].Start}, before sample {k - 1} ({spans[k - 1].Start}).", nameof(spans));
            }
        }
    }
}
