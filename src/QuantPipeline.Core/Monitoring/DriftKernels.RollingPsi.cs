namespace QuantPipeline.Core.Monitoring;

public static partial class DriftKernels
{
    /// <summary>
    /// PSI over time for many features: for each feature of a [features × rows × width] block (each feature a
    /// time-major panel field, one row per session) the PSI of every trailing window of <paramref name="window"/>
    /// rows against the feature's reference. Features run in parallel.
    /// </summary>
    /// <returns>psi[f][e] for the window ending at row e; NaN before the first full window.</returns>
    public static double[][] RollingPsi(IReadOnlyList<FeatureReference> references, ReadOnlyMemory<float> block, int rows, int width, int window)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (block.Length != (long)references.Count * rows * width)
        {
            throw new ArgumentException($"The block holds {block.Length} values but {references.Count} features × {rows} rows × {width} columns need {(long)references.Count * rows * width}.", nameof(block));
        }

        var results = new double[references.Count][];
        Parallel.For(0, references.Count, f => results[f] = RollingPsi(references[f], block.Span.Slice(f * rows * width, rows * width), rows, width, window));
        return results;
    }

    /// <summary>
    /// PSI of every trailing window of one time-major field. Each row is binned once (one SIMD counting pass); the
    /// window's bin counts are differences of running totals, so the cost does not grow with the window.
    /// A window with no finite value gives NaN.
    /// </summary>
    public static double[] RollingPsi(FeatureReference reference, ReadOnlySpan<float> timeMajor, int rows, int width, int window)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (timeMajor.Length != (long)rows * width)
        {
            throw new ArgumentException($"{rows} rows × {width} columns need {(long)rows * width} values, got {timeMajor.Length}.", nameof(timeMajor));
        }

        var edges = reference.Edges.Length;
        Span<float> limits = stackalloc float[edges];
        FloatLimits(reference.Edges, limits);

        // totals[(r + 1)·stride + b]: finite values (b = edges) and values at or below edge b (b < edges) in rows [0, r].
        var stride = edges + 1;
        var totals = new long[(rows + 1) * stride];
        Span<int> rowCounts = stackalloc int[edges];
        for (var r = 0; r < rows; r++)
        {
            var finite = CountAtOrBelow(timeMajor.Slice(r * width, width), limits, rowCounts);
            var previous = totals.AsSpan(r * stride, stride);
            var next = totals.AsSpan((r + 1) * stride, stride);
            for (var b = 0; b < edges; b++)
            {
                next[b] = previous[b] + rowCounts[b];
            }

            next[edges] = previous[edges] + finite;
        }

        var psi = new double[rows];
        Span<int> windowCounts = stackalloc int[edges];
        for (var end = 0; end < rows; end++)
        {
            if (end < window - 1)
            {
                psi[end] = double.NaN;
                continue;
            }

            var upper = totals.AsSpan((end + 1) * stride, stride);
            var lower = totals.AsSpan((end + 1 - window) * stride, stride);
            var finite = (int)(upper[edges] - lower[edges]);
            if (finite == 0)
            {
                psi[end] = double.NaN;
                continue;
            }

            for (var b = 0; b < edges; b++)
            {
                windowCounts[b] = (int)(upper[b] - lower[b]);
            }

            psi[end] = PopulationStability.Psi(reference.Proportions, Proportions(windowCounts, finite));
        }

        return psi;
    }
}
