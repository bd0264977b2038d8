namespace QuantPipeline.Core.Panels;

/// <summary>
/// Evaluates a computation over a long history in time chunks with a lookback overlap, so memory is bounded by the
/// chunk, not the history. Each incoming chunk is prefixed with the last <c>lookback</c> rows of input seen before it;
/// the computation runs on that, and only the chunk's own rows are emitted.
/// <para>
/// Memory bound: at most (chunk rows + lookback) × N × 4 bytes per field held at once (input fields, computed fields
/// and the computation's own workspace), plus the lookback carry. For F8 on 3,000 symbols with one 390-bar session per
/// chunk and a lookback of 31: 421 × 3,000 × 4 B ≈ 5 MB per field, ≈ 76 MB for its 15 buffers, whatever the history's length.
/// </para>
/// <para>
/// Exactness: window statistics need lookback ≥ window − 1 (plus the lags they apply, e.g. 31 for a 30-bar std of 1-bar
/// returns) and are then equal to a single pass up to float rounding. Exponential ones have infinite memory: with
/// half-life h the weight left beyond the lookback is 2^(−lookback/h), e.g. lookback = 24·h for 6e-8.
/// </para>
/// </summary>
public static class ChunkedEvaluation
{
    /// <summary>
    /// Runs <paramref name="compute"/> (which adds fields to the panel it is given) on each chunk with its lookback
    /// prefix, and passes <paramref name="emit"/> the chunk's own rows with every field.
    /// </summary>
    public static void Run(IEnumerable<Panel> chunks, int lookback, Action<Panel> compute, Action<Panel> emit)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(emit);
        ArgumentOutOfRangeException.ThrowIfNegative(lookback);
        Panel? carry = null;
        foreach (var chunk in chunks)
        {
            var inputFields = chunk.FieldNames.ToArray();
            var work = carry is null || carry.T == 0 ? chunk.SliceTime(0, chunk.T) : Panel.ConcatTime([carry, chunk]);
            var owned = work.T - chunk.T;
            compute(work);
            emit(work.SliceTime(owned, chunk.T));

            // Carry only the input fields: computed ones are recomputed from the inputs in the next chunk.
            var keep = Math.Min(lookback, work.T);
            var tail = new Panel(work.Timestamps.Skip(work.T - keep).ToArray(), work.Symbols) { Calendar = work.Calendar };
            work.Membership.AsSpan((work.T - keep) * work.N).CopyTo(tail.Membership);
            foreach (var name in inputFields)
            {
                tail.SetField(name, work.Field(name).AsSpan((work.T - keep) * work.N).ToArray());
            }

            carry = tail;
        }
    }

    /// <summary>Cuts an in-memory panel into chunks of <paramref name="rows"/> timestamps (for tests and small runs).</summary>
    public static IEnumerable<Panel> Chunks(Panel panel, int rows)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        for (var start = 0; start < panel.T; start += rows)
        {
            yield return panel.SliceTime(start, Math.Min(rows, panel.T - start));
        }
    }
}
