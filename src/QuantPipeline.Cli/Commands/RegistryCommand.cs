using System.CommandLine;
using System.Globalization;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp registry list | show | compare | promote | rollback | history</c>.</summary>
public static class RegistryCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command(
            "registry",
            """
            Model registry: list, show, compare, promote and roll back versions.
            Lists, inspects, compares and promotes registered model versions. Versions are immutable; aliases
            (production, staging or your own) move between them, and every move is kept and audited.

            Examples:
              qp registry list --workdir qp-demo
              qp registry show demo_mlp@2 --workdir qp-demo --json
              qp registry compare demo_mlp@1 demo_mlp@2 --workdir qp-demo
              qp registry promote demo_mlp 2 --alias production --workdir qp-demo
              qp registry rollback demo_mlp --workdir qp-demo
              qp registry history demo_mlp --workdir qp-demo
            """);
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Compare());
        command.Subcommands.Add(Promote());
        command.Subcommands.Add(Rollback());
        command.Subcommands.Add(History());
        return command;
    }

    private static Command History()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var name = new Argument<string>("name") { Description = "Model name." };
        var alias = new Option<string?>("--alias") { Description = "Only this alias (default: all)." };
        var command = new Command("history", CommandHelp.Describe("Shows every move of the model's aliases: promotions and rollbacks, with who and when.", null, "qp registry history demo_mlp --workdir qp-demo", "qp registry history demo_mlp --alias production --workdir qp-demo --json")) { name, alias, registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var changes = r.AliasHistory(parse.GetValue(name)!, parse.GetValue(alias));
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(changes.Select(c => new { model = c.ModelName, c.Alias, seq = c.Sequence, c.Action, version = c.Version, previous_version = c.PreviousVersion, at = c.AtUtc, c.Actor }));
                return 0;
            }

            foreach (var c in changes)
            {
                Console.WriteLine(string.Create(Inv, $"{c.AtUtc:yyyy-MM-dd HH:mm:ss}Z  {c.Alias,-12} #{c.Sequence,-4} {c.Action,-8} {(c.PreviousVersion is int p ? p.ToString(Inv) : "none")} → {c.Version}  by {c.Actor}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var model = new Option<string?>("--model") { Description = "List this model's versions instead of the models." };
        var command = new Command("list", CommandHelp.Describe("Lists registered models (latest version, aliases), or one model's versions with --model.", null, "qp registry list --workdir qp-demo", "qp registry list --model demo_mlp --workdir qp-demo --json")) { registry, workdir, json, model };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var name = parse.GetValue(model);
            if (name is null)
            {
                var models = r.ListModels();
                if (parse.GetValue(json))
                {
                    RegistryOptions.PrintJson(models.Select(m => new { name = m.Name, latest_version = m.LatestVersion, versions = m.VersionCount, aliases = m.Aliases, created_at = m.CreatedAtUtc }));
                    return 0;
                }

                Console.WriteLine($"{"model",-24} {"latest",6} {"versions",8}  aliases");
                foreach (var m in models)
                {
                    Console.WriteLine(string.Create(Inv, $"{m.Name,-24} {m.LatestVersion,6} {m.VersionCount,8}  {string.Join(", ", m.Aliases.Select(a => $"{a.Key}→{a.Value}"))}"));
                }

                return 0;
            }

            var versions = r.ListVersions(name);
            if (versions.Count == 0)
            {
                throw new KeyNotFoundException($"Model '{name}' is not in registry {r.Describe}; `qp registry list` shows the registered models.");
            }

            var aliases = r.ListModels().First(m => m.Name == name).Aliases;
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(versions.Select(v => Describe(v, aliases)));
                return 0;
            }

            Console.WriteLine($"{"version",7} {"status",-9} {"as_of",-10} {"sharpe",8} {"max_dd",8}  aliases");
            foreach (var v in versions)
            {
                Console.WriteLine(string.Create(Inv, $"{v.Version,7} {v.Status,-9} {v.AsOf:yyyy-MM-dd} {Metric(v, "sharpe"),8} {Metric(v, "max_drawdown"),8}  {string.Join(", ", AliasesOf(v, aliases))}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var reference = new Argument<string>("reference") { Description = "NAME@VERSION or NAME@ALIAS, e.g. demo_mlp@2 or demo_mlp@production." };
        var command = new Command("show", CommandHelp.Describe("Shows one version: status, metrics, parameters, tags, lineage, artifact and the aliases on it.", null, "qp registry show demo_mlp@2 --workdir qp-demo", "qp registry show demo_mlp@production --workdir qp-demo --json")) { reference, registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var v = ModelReference.Parse(parse.GetValue(reference)!).Resolve(r);
            var aliases = r.ListModels().First(m => m.Name == v.ModelName).Aliases;
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(Describe(v, aliases));
                return 0;
            }

            Console.WriteLine($"{v.Reference}  status {v.Status}, as-of {v.AsOf:yyyy-MM-dd}, registered {v.CreatedAtUtc:yyyy-MM-dd HH:mm:ss}Z by {v.RegisteredBy}");
            Console.WriteLine($"aliases:   {(AliasesOf(v, aliases).Any() ? string.Join(", ", AliasesOf(v, aliases)) : "none")}");
            Console.WriteLine($"artifact:  {v.ArtifactPath}");
            Console.WriteLine($"sha256:    {v.ArtifactSha256}");
            Console.WriteLine("metrics:   " + string.Join(", ", v.Metrics.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Create(Inv, $"{k.Key} {k.Value:0.######}"))));
            Console.WriteLine("params:    " + string.Join(", ", v.Parameters.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));
            Console.WriteLine("tags:      " + string.Join(", ", v.Tags.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")));
            if (v.Lineage is { } l)
            {
                Console.WriteLine(string.Create(Inv, $"lineage:   snapshot {l.DataSnapshotId}, features {l.FeatureSetVersion}, config {l.ConfigHash}, code {l.CodeVersion}, seed {l.Seed}, training {l.TrainingFrom:yyyy-MM-dd}..{l.TrainingTo:yyyy-MM-dd}, parent {(l.ParentVersion is int p ? $"{v.ModelName}@{p}" : "none")}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command Compare()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var a = new Argument<string>("a") { Description = "First version, NAME@VERSION or NAME@ALIAS." };
        var b = new Argument<string>("b") { Description = "Second version." };
        var command = new Command("compare", CommandHelp.Describe("Compares two versions: each metric with the difference B − A, and the parameters and lineage that differ.", null, "qp registry compare demo_mlp@1 demo_mlp@2 --workdir qp-demo", "qp registry compare demo_mlp@1 demo_mlp@production --workdir qp-demo --json")) { a, b, registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var va = ModelReference.Parse(parse.GetValue(a)!).Resolve(r);
            var vb = ModelReference.Parse(parse.GetValue(b)!).Resolve(r);
            var metricNames = va.Metrics.Keys.Union(vb.Metrics.Keys).Order(StringComparer.Ordinal).ToList();
            var metrics = metricNames.Select(name =>
            {
                double? x = va.Metrics.TryGetValue(name, out var ma) ? ma : null;
                double? y = vb.Metrics.TryGetValue(name, out var mb) ? mb : null;
                return new { metric = name, a = x, b = y, difference = x is double p && y is double q ? q - p : (double?)null };
            }).ToList();
            var fieldsA = Fields(va);
            var fieldsB = Fields(vb);
            var differences = fieldsA.Keys.Union(fieldsB.Keys).Order(StringComparer.Ordinal)
                .Select(k => (key: k, a: fieldsA.GetValueOrDefault(k), b: fieldsB.GetValueOrDefault(k)))
                .Where(d => d.a != d.b)
                .Select(d => new { field = d.key, d.a, d.b })
                .ToList();
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(new { a = va.Reference, b = vb.Reference, metrics, differences, same_artifact = va.ArtifactSha256 == vb.ArtifactSha256 });
                return 0;
            }

            Console.WriteLine($"{"metric",-20} {va.Reference,14} {vb.Reference,14} {"B − A",12}");
            foreach (var m in metrics)
            {
                Console.WriteLine(string.Create(Inv, $"{m.metric,-20} {Format(m.a),14} {Format(m.b),14} {Format(m.difference),12}"));
            }

            Console.WriteLine(va.ArtifactSha256 == vb.ArtifactSha256 ? "artifacts: identical weights" : "artifacts: different weights");
            Console.WriteLine(differences.Count == 0 ? "parameters and lineage: identical" : "differs:");
            foreach (var d in differences)
            {
                Console.WriteLine($"  {d.field}: {d.a ?? "-"} → {d.b ?? "-"}");
            }

            return 0;
        }));
        return command;
    }

    private static Command Promote()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var name = new Argument<string>("name") { Description = "Model name." };
        var version = new Argument<int>("version") { Description = "Version to point the alias at." };
        var alias = new Option<string>("--alias") { Description = "Alias to move (production, staging or a custom name).", DefaultValueFactory = _ => ModelRegistry.Production };
        var command = new Command("promote", CommandHelp.Describe("Points an alias at a version in one transaction; the previous holder is kept in the alias history for rollback.", null, "qp registry promote demo_mlp 2 --alias production --workdir qp-demo", "qp registry promote demo_mlp 3 --alias staging --workdir qp-demo --json")) { name, version, alias, registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            return Report(r.Promote(parse.GetValue(name)!, parse.GetValue(version), parse.GetValue(alias)!), parse.GetValue(json));
        }));
        return command;
    }

    private static Command Rollback()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var name = new Argument<string>("name") { Description = "Model name." };
        var alias = new Option<string>("--alias") { Description = "Alias to roll back.", DefaultValueFactory = _ => ModelRegistry.Production };
        var command = new Command("rollback", CommandHelp.Describe("Gives the alias back to the version that held it before; repeated rollbacks walk further back.", null, "qp registry rollback demo_mlp --workdir qp-demo", "qp registry rollback demo_mlp --alias staging --workdir qp-demo --json")) { name, alias, registry, workdir, json };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            return Report(r.Rollback(parse.GetValue(name)!, parse.GetValue(alias)!), parse.GetValue(json));
        }));
        return command;
    }

    private static int Report(AliasChange change, bool json)
    {
        if (json)
        {
            RegistryOptions.PrintJson(new { model = change.ModelName, change.Alias, change.Action, version = change.Version, previous_version = change.PreviousVersion, at = change.AtUtc, change.Actor });
            return 0;
        }

        var previous = change.PreviousVersion is int p ? p.ToString(Inv) : "none";
        Console.WriteLine($"{change.ModelName}@{change.Alias}: {previous} → {change.Version} ({change.Action} by {change.Actor})");
        return 0;
    }

    private static object Describe(ModelVersion v, IReadOnlyDictionary<string, int> aliases) => new
    {
        model = v.ModelName,
        version = v.Version,
        status = v.Status,
        as_of = v.AsOf.ToString("yyyy-MM-dd", Inv),
        created_at = v.CreatedAtUtc,
        registered_by = v.RegisteredBy,
        aliases = AliasesOf(v, aliases).ToList(),
        metrics = v.Metrics,
        parameters = v.Parameters,
        tags = v.Tags,
        artifact = new { path = v.ArtifactPath, sha256 = v.ArtifactSha256 },
        lineage = v.Lineage is not { } l ? null : new
        {
            data_snapshot_id = l.DataSnapshotId,
            feature_set_version = l.FeatureSetVersion,
            config_hash = l.ConfigHash,
            code_version = l.CodeVersion,
            seed = l.Seed,
            training_from = l.TrainingFrom.ToString("yyyy-MM-dd", Inv),
            training_to = l.TrainingTo.ToString("yyyy-MM-dd", Inv),
            parent_version = l.ParentVersion,
        },
    };

    private static IEnumerable<string> AliasesOf(ModelVersion v, IReadOnlyDictionary<string, int> aliases) =>
        aliases.Where(a => a.Value == v.Version).Select(a => a.Key).Order(StringComparer.Ordinal);

    private static Dictionary<string, string?> Fields(ModelVersion v)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["status"] = v.Status,
            ["as_of"] = v.AsOf.ToString("yyyy-MM-dd", Inv),
        };
        foreach (var (k, value) in v.Parameters)
        {
            fields[$"params.{k}"] = value;
        }

        foreach (var (k, value) in v.Tags)
        {
            fields[$"tags.{k}"] = value;
        }

        if (v.Lineage is { } l)
        {
            fields["lineage.data_snapshot_id"] = l.DataSnapshotId;
            fields["lineage.feature_set_version"] = l.FeatureSetVersion;
            fields["lineage.config_hash"] = l.ConfigHash;
            fields["lineage.code_version"] = l.CodeVersion;
            fields["lineage.seed"] = l.Seed.ToString(Inv);
            fields["lineage.training_range"] = $"{l.TrainingFrom:yyyy-MM-dd}..{l.TrainingTo:yyyy-MM-dd}";
        }

        return fields;
    }

    private static string Metric(ModelVersion v, string name) => v.Metrics.TryGetValue(name, out var x) ? x.ToString("0.000", Inv) : "-";

    private static string Format(double? x) => x is double d ? d.ToString("0.######", Inv) : "-";
}
