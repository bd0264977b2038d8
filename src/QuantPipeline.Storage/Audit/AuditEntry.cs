using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace QuantPipeline.Storage.Audit;

/// <summary>
/// One link of the audit chain. <see cref="Hash"/> = SHA-256 over the previous entry's hash (hex) followed by
/// the canonical JSON of this entry's sequence number, time, actor, action and payload, so editing any of them,
/// or moving, removing or inserting an entry, breaks the chain at that point.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTime AtUtc, string Actor, string Action, string PayloadJson, string PreviousHash, string Hash)
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string ComputeHash(long sequence, string at, string actor, string action, string payloadJson, string previousHash)
    {
        using var payload = JsonDocument.Parse(payloadJson);
        var envelope = new Dictionary<string, object>
        {
            ["seq"] = sequence,
            ["at"] = at,
            ["actor"] = actor,
            ["action"] = action,
            ["payload"] = payload.RootElement.Clone(),
        };
        var canonical = CanonicalJson.Serialize(envelope);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + canonical)));
    }

    public string ToJsonLine() => CanonicalJson.Serialize(new Dictionary<string, object>
    {
        ["seq"] = Sequence,
        ["at"] = AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["actor"] = Actor,
        ["action"] = Action,
        ["payload"] = JsonDocument.Parse(PayloadJson).RootElement.Clone(),
        ["prev_hash"] = PreviousHash,
        ["hash"] = Hash,
    });
}
