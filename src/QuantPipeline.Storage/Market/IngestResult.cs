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
    long RowsQuarantined);
