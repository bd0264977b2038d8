namespace QuantPipeline.Cluster.Units;

/// <summary>What a silo declares and does: its slots, whether it has a GPU, and the units it holds now.</summary>
[GenerateSerializer, Immutable]
public sealed record SiloWork(string Silo, string Name, bool Gpu, int Slots, string SharedPath, IReadOnlyList<string> Running, int Queued, long Completed, long Failed);
