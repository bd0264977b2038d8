namespace QuantPipeline.Cluster.Units;

/// <summary>What an executor may use: the shared folder every silo and the coordinator see, and the unit's own output folder in it.</summary>
public sealed class UnitContext(SharedStore store, string key)
{
    public SharedStore Store { get; } = store;

    /// <summary>The unit's content key (the one dispatch placements name).</summary>
    public string Key { get; } = key;

    public string OutputDirectory { get; } = store.UnitDirectory(key);

    /// <summary>Writes <paramref name="name"/> in the unit's folder so that no reader ever sees it half-written.</summary>
    public string WriteAtomically(string name, Action<Stream> write) => SharedStore.WriteAtomically(Path.Combine(OutputDirectory, name), write);
}
