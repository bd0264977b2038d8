namespace QuantPipeline.Storage.Market;

/// <summary>A batch rejected by validation; nothing of it was stored.</summary>
public sealed class IngestValidationException : Exception
{
    public IngestValidationException(string source, long totalViolations, IReadOnlyList<IngestViolation> violations)
        : base(Describe(source, totalViolations, violations))
    {
        Source = source;
        TotalViolations = totalViolations;
        Violations = violations;
    }

    public new string Source { get; }

    public long TotalViolations { get; }

    /// <summary>The first violations in row order (at most the reported limit).</summary>
    public IReadOnlyList<IngestViolation> Violations { get; }

    private static string Describe(string source, long total, IReadOnlyList<IngestViolation> violations) =>
        $"{source}: {total} row(s) break validation rules; nothing was stored. Fix the rows or ingest with policy quarantine to keep the valid rows and set these aside." +
        Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)) +
        (total > violations.Count ? $"{Environment.NewLine}  … and {total - violations.Count} more." : string.Empty);
}
