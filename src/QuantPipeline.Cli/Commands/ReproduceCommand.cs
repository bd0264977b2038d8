using System.CommandLine;
using System.Globalization;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp reproduce NAME@VERSION</c>: retrain from the lineage and compare weights and metrics bit for bit.</summary>
public static class ReproduceCommand
{
    public static Command Create()
    {
        var (registry, workdir, json) = (RegistryOptions.Registry(), RegistryOptions.Workdir(), RegistryOptions.JsonOutput());
        var reference = new Argument<string>("reference") { Description = "NAME@VERSION or NAME@ALIAS." };
        var command = new Command(
            "reproduce",
            """
            Retrains a version from its lineage and checks that weights and metrics match.
            Retrains a version from its lineage (stored configuration, as-of date, data snapshot, seed) on CPU and
            reports whether the weights and every metric are identical to the recorded ones. Exits 0 when they
            are, 1 when anything differs or the data snapshot no longer matches.

            Examples:
              qp reproduce demo_mlp@1 --workdir qp-demo
            """)
        {
            reference, registry, workdir, json,
        };
        command.SetAction(parse => RegistryOptions.Guard(() =>
        {
            var dir = parse.GetValue(workdir)!;
            using var r = RegistryOptions.Open(parse.GetValue(registry)!, dir);
            var version = ModelReference.Parse(parse.GetValue(reference)!).Resolve(r);
            var report = Reproducer.Reproduce(r, version, dir.FullName);
            if (parse.GetValue(json))
            {
                RegistryOptions.PrintJson(new
                {
                    reference = report.Reference,
                    identical = report.Identical,
                    weights_identical = report.WeightsIdentical,
                    metrics_identical = report.MetricsIdentical,
                    recorded_sha256 = report.RecordedArtifactSha256,
                    reproduced_sha256 = report.ReproducedArtifactSha256,
                    max_abs_weight_difference = report.MaxAbsWeightDifference,
                    data_snapshot = report.ReproducedSnapshot,
                    training_range = report.ReproducedTrainingRange,
                    recorded_code_version = report.RecordedCodeVersion,
                    current_code_version = report.CurrentCodeVersion,
                    metrics = report.Metrics.Select(m => new { name = m.Name, recorded = m.Recorded, reproduced = m.Reproduced, identical = m.Identical }),
                });
            }
            else
            {
                var inv = CultureInfo.InvariantCulture;
                Console.WriteLine($"reproducing {report.Reference}: snapshot {report.ReproducedSnapshot}, training {report.ReproducedTrainingRange}");
                if (report.RecordedCodeVersion != report.CurrentCodeVersion)
                {
                    Console.WriteLine($"note: recorded with code {report.RecordedCodeVersion}, reproducing with {report.CurrentCodeVersion}");
                }

                Console.WriteLine(report.WeightsIdentical
                    ? $"weights: identical (sha256 {report.RecordedArtifactSha256})"
                    : string.Create(inv, $"weights: DIFFERENT (recorded sha256 {report.RecordedArtifactSha256}, reproduced {report.ReproducedArtifactSha256}, max |Δw| {report.MaxAbsWeightDifference:G6})"));
                foreach (var m in report.Metrics)
                {
                    Console.WriteLine(string.Create(inv, $"  {m.Name,-18} {m.Recorded,14:R} {m.Reproduced,14:R}  {(m.Identical ? "identical" : "DIFFERENT")}"));
                }

                Console.WriteLine(report.Identical ? "reproduced: identical" : "reproduced: NOT identical");
            }

            return report.Identical ? 0 : 1;
        }));
        return command;
    }
}
