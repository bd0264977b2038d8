using System.CommandLine;
using System.Text.Json;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp lineage NAME@VERSION</c>: what a version was made from, back through its parents.</summary>
public static class LineageCommand
{
    public static Command Create()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var reference = new Argument<string>("reference") { Description = "NAME@VERSION or NAME@ALIAS." };
        var command = new Command(
            "lineage",
            """
            Shows the lineage behind a version: data, features, configuration, code and seed.
            Shows the full chain behind a version: data snapshot, feature-set version, configuration (hash and
            content), code version, seed and training range, then the same for the version it replaced, and so on.

            Examples:
              qp lineage demo_mlp@2 --workdir qp-demo
              qp lineage demo_mlp@production --workdir qp-demo --json
            """)
        {
            reference, registry, workdir, json,
        };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, parse.GetValue(workdir)!);
            var chain = new List<ModelVersion> { ModelReference.Parse(parse.GetValue(reference)!).Resolve(r) };
            while (chain[^1].Lineage?.ParentVersion is int parent && chain.Count < 1000)
            {
                chain.Add(r.GetVersion(chain[^1].ModelName, parent));
            }

            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(chain.Select(v => new
                {
                    reference = v.Reference,
                    status = v.Status,
                    as_of = v.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    artifact_sha256 = v.ArtifactSha256,
                    data_snapshot_id = v.Lineage?.DataSnapshotId,
                    feature_set_version = v.Lineage?.FeatureSetVersion,
                    config_hash = v.Lineage?.ConfigHash,
                    config = v.Lineage?.ConfigJson is { } c ? JsonDocument.Parse(c).RootElement : (JsonElement?)null,
                    code_version = v.Lineage?.CodeVersion,
                    seed = v.Lineage?.Seed,
                    training_from = v.Lineage?.TrainingFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    training_to = v.Lineage?.TrainingTo.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    parent = v.Lineage?.ParentVersion is int p ? $"{v.ModelName}@{p}" : null,
                }));
                return 0;
            }

            foreach (var v in chain)
            {
                Console.WriteLine($"{v.Reference} ({v.Status}, as-of {v.AsOf:yyyy-MM-dd}, weights sha256 {v.ArtifactSha256})");
                if (v.Lineage is not { } l)
                {
                    Console.WriteLine("  no lineage recorded (registered before lineage was kept)");
                    continue;
                }

                Console.WriteLine($"  data snapshot   {l.DataSnapshotId}");
                Console.WriteLine($"  feature set     {l.FeatureSetVersion}");
                Console.WriteLine($"  config          sha256 {l.ConfigHash}");
                if (l.ConfigJson is not null)
                {
                    Console.WriteLine($"                  {l.ConfigJson}");
                }

                Console.WriteLine($"  code            {l.CodeVersion}");
                Console.WriteLine($"  seed            {l.Seed}");
                Console.WriteLine($"  training        {l.TrainingFrom:yyyy-MM-dd}..{l.TrainingTo:yyyy-MM-dd}");
                Console.WriteLine($"  parent          {(l.ParentVersion is int p ? $"{v.ModelName}@{p}" : "none (first production candidate)")}");
            }

            return 0;
        }));
        return command;
    }
}
