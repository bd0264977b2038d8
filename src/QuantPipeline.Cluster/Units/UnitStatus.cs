namespace QuantPipeline.Cluster.Units;

/// <summary>A unit's state on one silo; <see cref="Result"/> when done (the executor's small JSON answer), <see cref="Error"/> when failed.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitStatus(string Key, UnitState State, string? Result, string? Error, string Silo);
