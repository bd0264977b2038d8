namespace QuantPipeline.Storage.Registry;

/// <summary>Where an alias (production, staging or a custom name) points now.</summary>
public sealed record ModelAlias(string ModelName, string Alias, int Version, DateTime UpdatedAtUtc, string UpdatedBy);

/// <summary>One move of an alias: a promotion (to <see cref="Version"/>) or a rollback, with who did it and when.</summary>
public sealed record AliasChange(
    string ModelName,
    string Alias,
    long Sequence,
    string Action,
    int? Version,
    int? PreviousVersion,
    DateTime AtUtc,
    string Actor);

/// <summary>A model and its newest version.</summary>
public sealed record RegisteredModel(string Name, DateTime CreatedAtUtc, int LatestVersion, int VersionCount, IReadOnlyDictionary<string, int> Aliases);
