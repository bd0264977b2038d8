namespace QuantPipeline.Storage.Market;

/// <summary>One committed ingest batch: its id, row counts and the SHA-256 of its content.</summary>
public sealed record IngestResult(
    string BatchId,
    long BatchSeq,
    string Source,
    string ContentSha256,
    DateTime IngestedAt,
    long RowsRead,
    long RowsStored,
    long RowsQuarantined)
{
    /// <summary>Rules skipped because the file has no column for a field they need (a close-only file skips the range checks).</summary>
    public IReadOnlyList<SkippedRule> SkippedRules { get; init; } = [];

    /// <summary>Quarantined rows of the batch per rule (each row counts once, under the first rule it breaks).</summary>
    public IReadOnlyDictionary<string, long> QuarantinedByRule { get; init; } = new Dictionary<string, long>();
}

/// <summary>A validation rule that did not run on a batch: the fields it needed that the file lacks, and the rows it skipped.</summary>
public sealed record SkippedRule(string Rule, IReadOnlyList<string> MissingFields, long Rows);
