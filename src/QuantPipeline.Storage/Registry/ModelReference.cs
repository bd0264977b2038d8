using System.Globalization;

namespace QuantPipeline.Storage.Registry;

/// <summary><c>NAME@VERSION</c> or <c>NAME@ALIAS</c> (e.g. <c>demo_mlp@3</c>, <c>demo_mlp@production</c>), as users type them.</summary>
public sealed record ModelReference(string ModelName, int? Version, string? Alias)
{
    public static ModelReference Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            throw new FormatException($"'{text}' is not a model reference; write NAME@VERSION (e.g. demo_mlp@3) or NAME@ALIAS (e.g. demo_mlp@production).");
        }

        var name = text[..at];
        var rest = text[(at + 1)..];
        return int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? new ModelReference(name, version, null)
            : new ModelReference(name, null, rest);
    }

    /// <summary>The version this reference names now (an alias is looked up in the registry).</summary>
    public ModelVersion Resolve(ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (Version is int v)
        {
            return registry.GetVersion(ModelName, v);
        }

        var alias = registry.GetAlias(ModelName, Alias!)
            ?? throw new KeyNotFoundException($"{ModelName} has no alias '{Alias}' in registry {registry.Describe}; `qp registry show {ModelName}@VERSION` or `qp registry promote {ModelName} VERSION --alias {Alias}`.");
        return registry.GetVersion(ModelName, alias.Version);
    }

    public override string ToString() => $"{ModelName}@{(Version is int v ? v.ToString(CultureInfo.InvariantCulture) : Alias)}";
}
