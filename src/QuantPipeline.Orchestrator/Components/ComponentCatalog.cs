namespace QuantPipeline.Orchestrator.Components;

/// <summary>The registered components of one kind, by name, with the configuration key that chooses among them.</summary>
public sealed class ComponentCatalog<T>
{
    private readonly Dictionary<string, ComponentInfo<T>> _byName;

    internal ComponentCatalog(ComponentKind kind, string key, IEnumerable<ComponentInfo<T>> components)
    {
        Kind = kind;
        Key = key;
        All = [.. components];
        _byName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public ComponentKind Kind { get; }

    /// <summary>The configuration key that names a component of this kind (model.kind, say).</summary>
    public string Key { get; }

    /// <summary>The components in documentation order, the default first.</summary>
    public IReadOnlyList<ComponentInfo<T>> All { get; }

    public IReadOnlyList<string> Names => [.. All.Select(c => c.Name)];

    public ComponentInfo<T> Default => All[0];

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The component a name registers; an unknown name is an error naming the key and the valid choices.</summary>
    public ComponentInfo<T> Get(string name) =>
        _byName.TryGetValue(name, out var component)
            ? component
            : throw new ArgumentException($"{Key} '{name}' is not a registered {Describe(Kind)}; choose one of {string.Join(", ", Names)}.");

    internal static string Describe(ComponentKind kind) => kind switch
    {
        ComponentKind.FeatureSet => "feature set",
        ComponentKind.Transform => "feature transform",
        ComponentKind.Label => "label",
        ComponentKind.Model => "model",
        _ => "validation scheme",
    };
}
