namespace QuantPipeline.Core.Features.Library;

/// <summary>The built-in feature sets by name, and loading of user sets from YAML files.</summary>
public static class FeatureLibrary
{
    private static readonly Dictionary<string, Func<FeatureSet>> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        [Alpha158.Name] = Alpha158.Create,
        [Alpha360.Name] = Alpha360.Create,
        [IntradayF8Set.Name] = IntradayF8Set.Create,
    };

    public static IEnumerable<string> Names => BuiltIn.Keys;

    /// <summary>A built-in set by name, or a YAML file when <paramref name="nameOrPath"/> ends in .yaml/.yml.</summary>
    public static FeatureSet Get(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(nameOrPath)
                ? FeatureSetYaml.Load(nameOrPath)
                : throw new FileNotFoundException($"Feature-set file '{nameOrPath}' does not exist.", nameOrPath);
        }

        return BuiltIn.TryGetValue(nameOrPath, out var create)
            ? create()
            : throw new KeyNotFoundException($"Unknown feature set '{nameOrPath}'. Built-in sets: {string.Join(", ", BuiltIn.Keys)}; or pass a .yaml file.");
    }
}
