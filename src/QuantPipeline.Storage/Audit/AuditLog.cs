using System.Data.Common;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Storage.Audit;

/// <summary>
/// The append-only, hash-chained audit trail in the registry database. Entries are appended under the
/// registry's write lock (in the same transaction as the change they record), and <c>audit_head</c> keeps
/// the last sequence and hash so that removing entries from the end is detected too.
/// </summary>
public sealed class AuditLog
{
    private readonly DbConnection _connection;
    private readonly RegistryDialect _dialect;

    internal AuditLog(DbConnection connection, RegistryDialect dialect)
    {
        _connection = connection;
        _dialect = dialect;
    }

    /// <summary>Appends one entry in its own transaction.</summary>
    public AuditEntry Append(string action, object payload, string? actor = null)
    {
        using var transaction = _dialect.BeginWrite(_connection);
        var entry = Append(_connection, transaction, action, payload, actor ?? Actor.Current);
        transaction.Commit();
        return entry;
    }

    /// <summary>Appends inside a write transaction the caller already holds.</summary>
    internal static AuditEntry Append(DbConnection connection, DbTransaction transaction, string action, object payload, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        long previousSequence = 0;
        var previousHash = AuditEntry.Genesis;
        using (var last = Sql.Command(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
        using (var reader = last.ExecuteReader())
        {
            if (reader.Read())
            {
                previousSequence = Sql.Long(reader, 0);
                previousHash = reader.GetString(1);
            }
        }

        var sequence = previousSequence + 1;
        var at = Sql.Timestamp(DateTime.UtcNow);
        var payloadJson = payload is System.Text.Json.JsonElement element ? CanonicalJson.Canonicalize(element) : CanonicalJson.Serialize(payload);
        var hash = AuditEntry.ComputeHash(sequence, at, actor, action, payloadJson, previousHash);
        Sql.Execute(connection, transaction,
            "INSERT INTO audit_log (seq, at, actor, action, payload, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @payload, @prev, @hash)",
            ("@seq", sequence), ("@at", at), ("@actor", actor), ("@action", action), ("@payload", payloadJson), ("@prev", previousHash), ("@hash", hash));
        if (Sql.Execute(connection, transaction, "UPDATE audit_head SET seq = @seq, hash = @hash WHERE id = 1", ("@seq", sequence), ("@hash", hash)) == 0)
        {
            Sql.Execute(connection, transaction, "INSERT INTO audit_head (id, seq, hash) VALUES (1, @seq, @hash)", ("@seq", sequence), ("@hash", hash));
        }

        return new AuditEntry(sequence, Sql.ParseTimestamp(at), actor, action, payloadJson, previousHash, hash);
    }

    /// <summary>Entries in sequence order, optionally only those whose time is in [from, to).</summary>
    public IReadOnlyList<AuditEntry> Read(DateTime? fromUtc = null, DateTime? toUtc = null)
    {
        var entries = new List<AuditEntry>();
        foreach (var raw in ReadRaw())
        {
            var at = Sql.ParseTimestamp(raw.At);
            if ((fromUtc is null || at >= fromUtc) && (toUtc is null || at < toUtc))
            {
                entries.Add(new AuditEntry(raw.Seq, at, raw.Actor, raw.Action, raw.Payload, raw.PrevHash, raw.Hash));
            }
        }

        return entries;
    }

    /// <summary>Recomputes the chain from the first entry and names the first one that does not fit.</summary>
    public AuditVerification Verify()
    {
        var expectedSequence = 1L;
        var expectedPrevious = AuditEntry.Genesis;
        long checkedCount = 0;
        foreach (var raw in ReadRaw())
        {
            if (raw.Seq != expectedSequence)
            {
                return Bad(checkedCount, raw.Seq, raw.Seq > expectedSequence
                    ? $"entry {raw.Seq} follows entry {expectedSequence - 1}: entries {expectedSequence}..{raw.Seq - 1} were deleted"
                    : $"entry {raw.Seq} appears out of order after entry {expectedSequence - 1}");
            }

            if (!string.Equals(raw.PrevHash, expectedPrevious, StringComparison.Ordinal))
            {
                return Bad(checkedCount, raw.Seq, $"entry {raw.Seq} ({raw.Action}, {raw.At}) does not link to entry {raw.Seq - 1}: its prev_hash {Short(raw.PrevHash)} is not {Short(expectedPrevious)}, so an entry before it was deleted, inserted or reordered");
            }

            string recomputed;
            try
            {
                recomputed = AuditEntry.ComputeHash(raw.Seq, raw.At, raw.Actor, raw.Action, raw.Payload, raw.PrevHash);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Bad(checkedCount, raw.Seq, $"entry {raw.Seq} ({raw.Action}, {raw.At}) has a payload that is not JSON ({e.Message}): it was edited");
            }

            if (!string.Equals(recomputed, raw.Hash, StringComparison.Ordinal))
            {
                return Bad(checkedCount, raw.Seq, $"entry {raw.Seq} ({raw.Action}, {raw.At}) was edited: its content hashes to {Short(recomputed)}, not the recorded {Short(raw.Hash)}");
            }

            expectedPrevious = raw.Hash;
            expectedSequence++;
            checkedCount++;
        }

        using (var head = Sql.Command(_connection, null, "SELECT seq, hash FROM audit_head WHERE id = 1"))
        using (var reader = head.ExecuteReader())
        {
            if (reader.Read())
            {
                var headSequence = Sql.Long(reader, 0);
                var headHash = reader.GetString(1);
                if (headSequence != expectedSequence - 1 || !string.Equals(headHash, expectedPrevious, StringComparison.Ordinal))
                {
                    return headSequence > expectedSequence - 1
                        ? Bad(checkedCount, expectedSequence, $"the log ends at entry {expectedSequence - 1} but {headSequence} entries were written: entries {expectedSequence}..{headSequence} were deleted")
                        : Bad(checkedCount, headSequence + 1, $"entries after {headSequence} were added outside qp (the recorded head is entry {headSequence})");
                }
            }
            else if (checkedCount > 0)
            {
                return Bad(checkedCount, 1, "the audit head record is missing: the log was altered outside qp");
            }
        }

        return new AuditVerification(true, checkedCount, null, $"audit chain intact: {checkedCount} entries verified");
    }

    private static AuditVerification Bad(long checkedCount, long sequence, string message) =>
        new(false, checkedCount, sequence, $"audit chain broken at entry {sequence}: {message}");

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private List<(long Seq, string At, string Actor, string Action, string Payload, string PrevHash, string Hash)> ReadRaw()
    {
        var rows = new List<(long, string, string, string, string, string, string)>();
        using var command = Sql.Command(_connection, null, "SELECT seq, at, actor, action, payload, prev_hash, hash FROM audit_log ORDER BY seq");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((Sql.Long(reader, 0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return rows;
    }
}
