namespace QuantPipeline.Storage.Market;

/// <summary>A row set aside by an ingest: its batch, source file and data row number, the rule it broke and why, and the row as read.</summary>
public sealed record QuarantinedRow(string BatchId, string Source, long Row, string? Symbol, string Rule, string Message, string RawRow);
