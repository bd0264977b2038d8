using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using QuantPipeline.Storage.Audit;

namespace QuantPipeline.Storage.Registry;

/// <summary>
/// The model registry over SQLite or PostgreSQL (same SQL, same behaviour). Versions are numbered per model
/// under the registry's write lock, so concurrent processes never share or skip a number; version rows are
/// never updated (triggers refuse it). Aliases move between versions and every move is kept in
/// <c>alias_history</c>; registrations and alias moves are appended to the audit chain in the same transaction.
/// </summary>
public class ModelRegistry : IDisposable
{
    public const string Production = "production";

    private const string VersionColumns =
        "model_name, version, as_of, status, created_at, metrics_json, params_json, artifact_path, artifact_sha256, " +
        "tags_json, registered_by, data_snapshot_id, feature_set_version, config_hash, config_json, code_version, seed, training_from, training_to, parent_version";

    private readonly DbConnection _connection;

    protected ModelRegistry(RegistryUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Uri = uri;
        Dialect = RegistryDialect.For(uri);
        _connection = Dialect.Open(uri.Location);
        RegistryMigrations.Apply(_connection, Dialect);
        Audit = new AuditLog(_connection, Dialect);
    }

    public RegistryUri Uri { get; }

    public RegistryDialect Dialect { get; }

    public AuditLog Audit { get; }

    /// <summary>Where the registry lives, for messages (the file, or host/database without the password).</summary>
    public string Describe => Uri.IsPostgres
        ? $"postgresql {new Npgsql.NpgsqlConnectionStringBuilder(Uri.Location) { Password = null }.Host}/{new Npgsql.NpgsqlConnectionStringBuilder(Uri.Location).Database}"
        : Uri.Location;

    /// <summary>Opens (creating and migrating when needed) the registry a URI names.</summary>
    public static ModelRegistry Open(string uri, string workingDirectory)
    {
        var parsed = RegistryUri.Parse(uri, workingDirectory);
        return parsed.IsPostgres ? new ModelRegistry(parsed) : new SqliteModelRegistry(parsed.Location);
    }

    public ModelVersion Register(ModelVersionRequest request, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelName);
        if (request.ArtifactSha256.Length != 64 || !request.ArtifactSha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"Artifact SHA-256 must be 64 hex characters, got '{request.ArtifactSha256}'.", nameof(request));
        }

        ValidateName(request.ModelName, "model name");
        actor ??= Actor.Current;
        var created = DateTime.UtcNow;
        using var transaction = Dialect.BeginWrite(_connection);
        Sql.Execute(_connection, transaction, "INSERT INTO models (name, created_at) VALUES (@name, @at) ON CONFLICT (name) DO NOTHING", ("@name", request.ModelName), ("@at", Sql.Timestamp(created)));
        var version = Convert.ToInt32(
            Sql.Scalar(_connection, transaction, "SELECT coalesce(max(version), 0) + 1 FROM model_versions WHERE model_name = @name", ("@name", request.ModelName)),
            CultureInfo.InvariantCulture);
        var lineage = request.Lineage;
        if (lineage?.ParentVersion is int parent && (parent < 1 || parent >= version))
        {
            throw new ArgumentException($"Parent version {parent} of {request.ModelName} does not exist (the next version is {version}).", nameof(request));
        }

        Sql.Execute(_connection, transaction,
            $"INSERT INTO model_versions ({VersionColumns}) VALUES (@name, @version, @asOf, @status, @created, @metrics, @params, @path, @sha, @tags, @by, @snapshot, @features, @configHash, @configJson, @code, @seed, @from, @to, @parent)",
            ("@name", request.ModelName),
            ("@version", version),
            ("@asOf", Sql.Date(request.AsOf)),
            ("@status", request.Status),
            ("@created", Sql.Timestamp(created)),
            ("@metrics", JsonSerializer.Serialize(request.Metrics)),
            ("@params", JsonSerializer.Serialize(request.Parameters)),
            ("@path", request.ArtifactPath),
            ("@sha", request.ArtifactSha256),
            ("@tags", JsonSerializer.Serialize(request.Tags)),
            ("@by", actor),
            ("@snapshot", lineage?.DataSnapshotId),
            ("@features", lineage?.FeatureSetVersion),
            ("@configHash", lineage?.ConfigHash),
            ("@configJson", lineage?.ConfigJson),
            ("@code", lineage?.CodeVersion),
            ("@seed", lineage?.Seed),
            ("@from", lineage is null ? null : Sql.Date(lineage.TrainingFrom)),
            ("@to", lineage is null ? null : Sql.Date(lineage.TrainingTo)),
            ("@parent", lineage?.ParentVersion));
        AuditLog.Append(_connection, transaction, "registry.register", new
        {
            model = request.ModelName,
            version,
            status = request.Status,
            as_of = Sql.Date(request.AsOf),
            artifact_sha256 = request.ArtifactSha256,
            metrics = request.Metrics,
            lineage = lineage is null ? null : new
            {
                data_snapshot_id = lineage.DataSnapshotId,
                feature_set_version = lineage.FeatureSetVersion,
                config_hash = lineage.ConfigHash,
                code_version = lineage.CodeVersion,
                seed = lineage.Seed,
                training_from = Sql.Date(lineage.TrainingFrom),
                training_to = Sql.Date(lineage.TrainingTo),
                parent_version = lineage.ParentVersion,
            },
        }, actor);
        transaction.Commit();
        return new ModelVersion(request.ModelName, version, request.AsOf, request.Status, DateTime.Parse(Sql.Timestamp(created), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), request.Metrics, request.Parameters, request.ArtifactPath, request.ArtifactSha256)
        {
            Tags = request.Tags,
            Lineage = lineage,
            RegisteredBy = actor,
        };
    }

    public IReadOnlyList<RegisteredModel> ListModels()
    {
        var aliases = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        using (var command = Sql.Command(_connection, null, "SELECT model_name, alias, version FROM aliases ORDER BY model_name, alias"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var name = reader.GetString(0);
                if (!aliases.TryGetValue(name, out var map))
                {
                    aliases[name] = map = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                map[reader.GetString(1)] = Sql.Int(reader, 2);
            }
        }

        var models = new List<RegisteredModel>();
        using (var command = Sql.Command(_connection, null,
            "SELECT m.name, m.created_at, coalesce(max(v.version), 0), count(v.version) FROM models m LEFT JOIN model_versions v ON v.model_name = m.name GROUP BY m.name, m.created_at ORDER BY m.name"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var name = reader.GetString(0);
                models.Add(new RegisteredModel(name, Sql.ParseTimestamp(reader.GetString(1)), Sql.Int(reader, 2), Sql.Int(reader, 3),
                    aliases.TryGetValue(name, out var map) ? map : new Dictionary<string, int>()));
            }
        }

        return models;
    }

    public IReadOnlyList<ModelVersion> ListVersions(string modelName) =>
        ReadVersions($"SELECT {VersionColumns} FROM model_versions WHERE model_name = @name ORDER BY version", ("@name", modelName));

    public ModelVersion GetVersion(string modelName, int version) =>
        ReadVersions($"SELECT {VersionColumns} FROM model_versions WHERE model_name = @name AND version = @version", ("@name", modelName), ("@version", version)).FirstOrDefault()
        ?? throw new KeyNotFoundException(ListVersions(modelName) is { Count: > 0 } existing
            ? $"Model '{modelName}' has no version {version} in registry {Describe}; it has versions 1..{existing[^1].Version}."
            : $"Model '{modelName}' is not in registry {Describe}; `qp registry list` shows the registered models.");

    /// <summary>The version an alias points to, or null when the alias is not set.</summary>
    public ModelAlias? GetAlias(string modelName, string alias)
    {
        using var command = Sql.Command(_connection, null, "SELECT model_name, alias, version, updated_at, updated_by FROM aliases WHERE model_name = @name AND alias = @alias", ("@name", modelName), ("@alias", alias));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ModelAlias(reader.GetString(0), reader.GetString(1), Sql.Int(reader, 2), Sql.ParseTimestamp(reader.GetString(3)), reader.GetString(4)) : null;
    }

    public IReadOnlyList<AliasChange> AliasHistory(string modelName, string? alias = null)
    {
        var changes = new List<AliasChange>();
        using var command = Sql.Command(_connection, null,
            "SELECT model_name, alias, seq, action, version, previous_version, at, actor FROM alias_history WHERE model_name = @name" + (alias is null ? string.Empty : " AND alias = @alias") + " ORDER BY alias, seq",
            alias is null ? [("@name", modelName)] : [("@name", modelName), ("@alias", alias)]);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            changes.Add(new AliasChange(reader.GetString(0), reader.GetString(1), Sql.Long(reader, 2), reader.GetString(3), Sql.NullableInt(reader, 4), Sql.NullableInt(reader, 5), Sql.ParseTimestamp(reader.GetString(6)), reader.GetString(7)));
        }

        return changes;
    }

    /// <summary>
    /// Points the alias at a version in one transaction (the alias row, its history and the audit entry
    /// commit together or not at all). A rejected version cannot become production.
    /// </summary>
    public AliasChange Promote(string modelName, int version, string alias = Production, string? actor = null)
    {
        ValidateName(alias, "alias");
        actor ??= Actor.Current;
        var target = GetVersion(modelName, version);
        if (alias == Production && target.Status == "rejected")
        {
            throw new InvalidOperationException($"{target.Reference} was rejected by the quality gate and cannot be promoted to production; promote an approved version or use another alias (e.g. --alias staging).");
        }

        using var transaction = Dialect.BeginWrite(_connection);
        var current = CurrentHolder(transaction, modelName, alias);
        var change = MoveAlias(transaction, modelName, alias, "promote", version, current, actor);
        transaction.Commit();
        return change;
    }

    /// <summary>
    /// Gives the alias back to the version that held it before the latest promotion still in effect
    /// (promotions and rollbacks replay as a stack, so repeated rollbacks walk further back).
    /// </summary>
    public AliasChange Rollback(string modelName, string alias = Production, string? actor = null)
    {
        actor ??= Actor.Current;
        using var transaction = Dialect.BeginWrite(_connection);
        var holders = new List<int>();
        using (var command = Sql.Command(_connection, transaction, "SELECT action, version FROM alias_history WHERE model_name = @name AND alias = @alias ORDER BY seq", ("@name", modelName), ("@alias", alias)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetString(0) == "promote")
                {
                    holders.Add(Sql.Int(reader, 1));
                }
                else if (holders.Count > 0)
                {
                    holders.RemoveAt(holders.Count - 1);
                }
            }
        }

        var current = CurrentHolder(transaction, modelName, alias);
        if (current is null || holders.Count < 2)
        {
            throw new InvalidOperationException(current is null
                ? $"{modelName} has no '{alias}' alias to roll back; promote a version first (qp registry promote {modelName} VERSION --alias {alias})."
                : $"{modelName}@{alias} (version {current}) has no previous holder to roll back to.");
        }

        var change = MoveAlias(transaction, modelName, alias, "rollback", holders[^2], current, actor);
        transaction.Commit();
        return change;
    }

    private int? CurrentHolder(DbTransaction transaction, string modelName, string alias) =>
        Sql.Scalar(_connection, transaction, "SELECT version FROM aliases WHERE model_name = @name AND alias = @alias", ("@name", modelName), ("@alias", alias)) is { } v
            ? Convert.ToInt32(v, CultureInfo.InvariantCulture)
            : null;

    private AliasChange MoveAlias(DbTransaction transaction, string modelName, string alias, string action, int version, int? previous, string actor)
    {
        var at = DateTime.UtcNow;
        var stamp = Sql.Timestamp(at);
        if (Sql.Execute(_connection, transaction, "UPDATE aliases SET version = @version, updated_at = @at, updated_by = @by WHERE model_name = @name AND alias = @alias",
                ("@version", version), ("@at", stamp), ("@by", actor), ("@name", modelName), ("@alias", alias)) == 0)
        {
            Sql.Execute(_connection, transaction, "INSERT INTO aliases (model_name, alias, version, updated_at, updated_by) VALUES (@name, @alias, @version, @at, @by)",
                ("@name", modelName), ("@alias", alias), ("@version", version), ("@at", stamp), ("@by", actor));
        }

        var sequence = Convert.ToInt64(
            Sql.Scalar(_connection, transaction, "SELECT coalesce(max(seq), 0) + 1 FROM alias_history WHERE model_name = @name AND alias = @alias", ("@name", modelName), ("@alias", alias)),
            CultureInfo.InvariantCulture);
        Sql.Execute(_connection, transaction,
            "INSERT INTO alias_history (model_name, alias, seq, action, version, previous_version, at, actor) VALUES (@name, @alias, @seq, @action, @version, @previous, @at, @by)",
            ("@name", modelName), ("@alias", alias), ("@seq", sequence), ("@action", action), ("@version", version), ("@previous", previous), ("@at", stamp), ("@by", actor));
        AuditLog.Append(_connection, transaction, $"registry.{action}", new { model = modelName, alias, version, previous_version = previous }, actor);
        return new AliasChange(modelName, alias, sequence, action, version, previous, Sql.ParseTimestamp(stamp), actor);
    }

    /// <summary>Replaces the signals stored for (model, as-of) in one transaction, so a rerun leaves exactly one copy.</summary>
    public void ReplaceSignals(string modelName, int version, DateOnly asOf, IReadOnlyList<(string Symbol, double Score, int Rank)> rows, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var transaction = Dialect.BeginWrite(_connection);
        var asOfText = Sql.Date(asOf);
        Sql.Execute(_connection, transaction, "DELETE FROM signals WHERE model_name = @name AND as_of = @asOf", ("@name", modelName), ("@asOf", asOfText));
        var written = Sql.Timestamp(DateTime.UtcNow);
        using (var insert = Sql.Command(_connection, transaction,
            "INSERT INTO signals (model_name, as_of, symbol, model_version, score, score_rank, written_at) VALUES (@name, @asOf, @symbol, @version, @score, @rank, @at)",
            ("@name", modelName), ("@asOf", asOfText), ("@symbol", string.Empty), ("@version", version), ("@score", 0.0), ("@rank", 0), ("@at", written)))
        {
            insert.Prepare();
            foreach (var (symbol, score, rank) in rows)
            {
                insert.Parameters["@symbol"].Value = symbol;
                insert.Parameters["@score"].Value = score;
                insert.Parameters["@rank"].Value = rank;
                insert.ExecuteNonQuery();
            }
        }

        AuditLog.Append(_connection, transaction, "deploy.signals", new { model = modelName, version, as_of = asOfText, rows = rows.Count }, actor ?? Actor.Current);
        transaction.Commit();
    }

    public IReadOnlyList<(string Symbol, int Version, double Score, int Rank)> ReadSignals(string modelName, DateOnly asOf)
    {
        var rows = new List<(string, int, double, int)>();
        using var command = Sql.Command(_connection, null, "SELECT symbol, model_version, score, score_rank FROM signals WHERE model_name = @name AND as_of = @asOf ORDER BY score_rank", ("@name", modelName), ("@asOf", Sql.Date(asOf)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), Sql.Int(reader, 1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture), Sql.Int(reader, 3)));
        }

        return rows;
    }

    /// <summary>Schema versions applied, for diagnostics and tests.</summary>
    public IReadOnlyList<int> AppliedMigrations()
    {
        var versions = new List<int>();
        using var command = Sql.Command(_connection, null, "SELECT version FROM schema_migrations ORDER BY version");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            versions.Add(Sql.Int(reader, 0));
        }

        return versions;
    }

    /// <summary>The open connection, for tools that inspect the registry directly.</summary>
    public DbConnection Connection => _connection;

    private static void ValidateName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(c => char.IsWhiteSpace(c) || c == '@'))
        {
            throw new ArgumentException($"Invalid {what} '{name}': it must be non-empty and contain no spaces or '@'.");
        }
    }

    private List<ModelVersion> ReadVersions(string text, params (string, object?)[] parameters)
    {
        var versions = new List<ModelVersion>();
        using var command = Sql.Command(_connection, null, text, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var snapshot = Sql.NullableString(reader, 11);
            ModelLineage? lineage = snapshot is null ? null : new ModelLineage(
                snapshot,
                Sql.NullableString(reader, 12) ?? string.Empty,
                Sql.NullableString(reader, 13) ?? string.Empty,
                Sql.NullableString(reader, 15) ?? string.Empty,
                Sql.NullableInt(reader, 16) ?? 0,
                Sql.ParseDate(reader.GetString(17)),
                Sql.ParseDate(reader.GetString(18)),
                Sql.NullableInt(reader, 19))
            {
                ConfigJson = Sql.NullableString(reader, 14),
            };
            versions.Add(new ModelVersion(
                reader.GetString(0),
                Sql.Int(reader, 1),
                Sql.ParseDate(reader.GetString(2)),
                reader.GetString(3),
                Sql.ParseTimestamp(reader.GetString(4)),
                JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(5))!,
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6))!,
                reader.GetString(7),
                reader.GetString(8))
            {
                Tags = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9))!,
                RegisteredBy = reader.GetString(10),
                Lineage = lineage,
            });
        }

        return versions;
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.Dispose();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }
}
