namespace QuantPipeline.Cluster.Units;

/// <summary>
/// One unit of work: <see cref="Kind"/> names the executor, <see cref="Key"/> is its idempotency key (a content hash of
/// everything the result depends on), <see cref="Payload"/> the executor's JSON arguments. Two requests with the same
/// key produce the same result, so a unit can be re-run anywhere after a silo is lost.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UnitRequest(string Kind, string Key, string Payload, bool PreferGpu);
