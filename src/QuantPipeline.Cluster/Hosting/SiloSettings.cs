namespace QuantPipeline.Cluster.Hosting;

/// <summary>What one silo declares: its name, whether it has a GPU, how many units it runs at once, and the shared folder.</summary>
public sealed record SiloSettings(string Name, bool Gpu, int Slots, string SharedPath);
