namespace QuantPipeline.Storage.Audit;

/// <summary>Result of walking the audit chain: intact, or the first entry that does not fit and why.</summary>
public sealed record AuditVerification(bool Intact, long EntriesChecked, long? FirstBadSequence, string Message);
