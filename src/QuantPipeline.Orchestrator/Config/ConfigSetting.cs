using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// One row of the configuration schema: where a setting lives in the YAML file (<see cref="Key"/>, e.g.
/// <c>training.epochs</c>), which <see cref="PipelineConfig"/> property holds it, its type, what it means and which
/// values are valid. <see cref="Aliases"/> are other accepted spellings: always the flat snake_case name used in
/// lineage JSON (<c>training_epochs</c>), and for the original specification's top-level fields their section
/// spelling (<c>registry.uri</c> for <c>model_registry_uri</c>).
/// </summary>
public sealed class ConfigSetting
{
    private readonly Func<object?, string?> _check;

    internal ConfigSetting(string key, string property, string description, Func<object?, string?>? check, IReadOnlyList<string> extraAliases)
    {
        Key = key;
        Property = typeof(PipelineConfig).GetProperty(property)
            ?? throw new InvalidOperationException($"PipelineConfig has no property {property} for setting {key}.");
        JsonName = Property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"PipelineConfig.{property} has no [JsonPropertyName].");
        Description = description;
        _check = check ?? (_ => null);
        var type = Property.PropertyType;
        Optional = Nullable.GetUnderlyingType(type) is not null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        Kind = type == typeof(int) ? ConfigValueKind.Integer
            : type == typeof(double) ? ConfigValueKind.Number
            : type == typeof(bool) ? ConfigValueKind.Boolean
            : type == typeof(string) ? ConfigValueKind.Text
            : type == typeof(IReadOnlyList<int>) ? ConfigValueKind.IntegerList
            : throw new InvalidOperationException($"PipelineConfig.{property} has type {type.Name}, which the configuration file cannot hold.");
        Aliases = [.. new[] { JsonName }.Concat(extraAliases).Where(a => a != key).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Dotted path in the file: <c>section.name</c>, or just <c>name</c> at the top level.</summary>
    public string Key { get; }

    public IReadOnlyList<string> Aliases { get; }

    public PropertyInfo Property { get; }

    /// <summary>The name in the canonical (lineage) JSON.</summary>
    public string JsonName { get; }

    public string Description { get; }

    public ConfigValueKind Kind { get; }

    /// <summary>Whether the setting may be null (an optional gate rule, say).</summary>
    public bool Optional { get; }

    public string Section => Key.Contains('.', StringComparison.Ordinal) ? Key[..Key.LastIndexOf('.')] : string.Empty;

    public string Name => Key[(Key.LastIndexOf('.') + 1)..];

    /// <summary>The environment variable that overrides the setting: QP_ and the key in capitals, with __ between sections.</summary>
    public string EnvironmentVariable => EnvironmentName(Key);

    public string TypeName => Kind switch
    {
        ConfigValueKind.Integer => "an integer",
        ConfigValueKind.Number => "a number",
        ConfigValueKind.Boolean => "true or false",
        ConfigValueKind.Text => "text",
        _ => "a list of integers, e.g. [64, 32]",
    } + (Optional ? " (or null)" : string.Empty);

    public object? Get(PipelineConfig config) => Property.GetValue(config);

    internal void Set(PipelineConfig config, object? value) => Property.SetValue(config, value);

    /// <summary>What is wrong with the value, or null when it is valid.</summary>
    public string? Check(PipelineConfig config)
    {
        var value = Get(config);
        if (value is null)
        {
            return Optional ? null : $"{Key} must be set";
        }

        return _check(value) is { } problem ? $"{Key} {problem}, got {Format(value)}" : null;
    }

    public static string EnvironmentName(string key) => "QP_" + key.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The value as the YAML file writes it.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        IEnumerable<int> list => "[" + string.Join(", ", list.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
