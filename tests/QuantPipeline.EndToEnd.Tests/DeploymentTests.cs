using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Parquet.Serialization;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Lineage;
using QuantPipeline.Storage.Artifacts;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>Registry, audit trail, deployment and reproduction around one real demo run.</summary>
[Collection(DeployedDemoCollection.Name)]
public sealed class DeploymentTests(DeployedDemo demo)
{
    private static readonly DateOnly AsOf = new(2023, 12, 29);

    private static ModelRegistry Open(string dir) => ModelRegistry.Open("sqlite:///models.db", dir);

    [Fact]
    public void Every_stage_gate_decision_registration_and_promotion_is_in_an_intact_audit_chain()
    {
        using var registry = Open(demo.Directory);
        var entries = registry.Audit.Read();
        Assert.Equal(
            [
                "run.start", "stage.ingest", "stage.prepare", "stage.features", "stage.train", "stage.validate",
                "gate.decision", "stage.gate", "registry.register", "stage.register", "registry.promote", "deploy.signals",
                "stage.deploy", "monitor.drift", "stage.monitor", "run.end",
            ],
            entries.Select(e => e.Action));
        var runIds = entries.Where(e => e.Action.StartsWith("stage.", StringComparison.Ordinal) || e.Action.StartsWith("run.", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("run_id").GetString()).Distinct();
        Assert.Equal([demo.Result.RunId], runIds);
        var gate = JsonDocument.Parse(entries.Single(e => e.Action == "gate.decision").PayloadJson).RootElement;
        Assert.True(gate.GetProperty("passed").GetBoolean());
        Assert.Equal(demo.Result.Metrics.Sharpe, gate.GetProperty("rules")[0].GetProperty("value").GetDouble(), 12);
        Assert.All(entries, e => Assert.Contains("@", e.Actor));
        Assert.True(registry.Audit.Verify().Intact);
    }

    [Fact]
    public void A_changed_configuration_and_a_failed_run_are_audited_and_the_chain_stays_intact()
    {
        var dir = demo.Copy();
        try
        {
            var changed = SingleRunDemo.Config with { TrainingWindowDays = 756 };
            Assert.Throws<QuantPipeline.Orchestrator.Pipeline.PipelineStageException>(() => new QuantPipeline.Orchestrator.Pipeline.ProductionPipeline(changed, dir).Run(AsOf));
            using var registry = Open(dir);
            var added = registry.Audit.Read().Skip(16).ToList();
            Assert.Equal(["config.change", "run.start", "stage.prepare", "run.end"], added.Select(e => e.Action));
            var change = JsonDocument.Parse(added[0].PayloadJson).RootElement;
            Assert.Equal(registry.GetVersion("demo_mlp", 1).Lineage!.ConfigHash, change.GetProperty("previous_config_hash").GetString());
            Assert.Equal(756, change.GetProperty("config").GetProperty("training_window_days").GetInt32());
            Assert.Equal("failed", JsonDocument.Parse(added[2].PayloadJson).RootElement.GetProperty("status").GetString());
            Assert.Contains("756", JsonDocument.Parse(added[3].PayloadJson).RootElement.GetProperty("error").GetString());
            Assert.True(registry.Audit.Verify().Intact);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_version_records_its_full_lineage()
    {
        using var registry = Open(demo.Directory);
        var version = registry.GetVersion("demo_mlp", 1);
        var lineage = version.Lineage!;
        Assert.Equal(SingleRunDemo.Config, JsonSerializer.Deserialize<PipelineConfig>(lineage.ConfigJson!));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lineage.ConfigJson!))), lineage.ConfigHash);
        var prepare = demo.Result.Stages.Single(s => s.Stage == "prepare").Detail;
        Assert.EndsWith("snapshot " + lineage.DataSnapshotId, prepare);
        Assert.Equal(version.Parameters["training_range"], $"{lineage.TrainingFrom:yyyy-MM-dd}..{lineage.TrainingTo:yyyy-MM-dd}");
        Assert.Equal(SingleRunDemo.Config.Seed, lineage.Seed);
        Assert.Matches("^(git:[0-9a-f]{7,}|assembly:.+)$", lineage.CodeVersion);
        Assert.StartsWith("fs-", lineage.FeatureSetVersion);
        Assert.Null(lineage.ParentVersion);
        Assert.Equal(1, registry.GetAlias("demo_mlp", ModelRegistry.Production)!.Version);
    }

    [Fact]
    public async Task Signals_in_csv_parquet_arrow_and_the_table_agree_and_are_stamped()
    {
        var signals = Path.Combine(demo.Directory, "signals");
        var csv = File.ReadAllLines(Path.Combine(signals, "demo_mlp_2023-12-29.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(50, csv.Count);

        await using var parquetStream = File.OpenRead(Path.Combine(signals, "demo_mlp_2023-12-29.parquet"));
        var parquet = (await ParquetSerializer.DeserializeAsync<SignalRow>(parquetStream)).Data.ToList();
        using var arrowStream = File.OpenRead(Path.Combine(signals, "demo_mlp_2023-12-29.arrow"));
        using var reader = new ArrowFileReader(arrowStream);
        using var batch = await reader.ReadNextRecordBatchAsync();
        Assert.Equal("1", reader.Schema.Metadata["model_version"]);
        Assert.Equal("2023-12-29", reader.Schema.Metadata["as_of"]);
        using var registry = Open(demo.Directory);
        var table = registry.ReadSignals("demo_mlp", AsOf);

        for (var i = 0; i < csv.Count; i++)
        {
            var score = double.Parse(csv[i][2], CultureInfo.InvariantCulture);
            Assert.Equal(("2023-12-29", csv[i][1], score, i + 1, "demo_mlp", 1), (parquet[i].AsOf, parquet[i].Symbol, parquet[i].Score, parquet[i].Rank, parquet[i].ModelName, parquet[i].ModelVersion));
            Assert.Equal(csv[i][1], ((StringArray)batch.Column("symbol")).GetString(i));
            Assert.Equal(score, ((DoubleArray)batch.Column("score")).GetValue(i));
            Assert.Equal(1, ((Int32Array)batch.Column("model_version")).GetValue(i));
            Assert.Equal((csv[i][1], 1, score, i + 1), table[i]);
        }

        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(signals, "demo_mlp_2023-12-29.complete.json"))).RootElement;
        Assert.Equal(50, marker.GetProperty("rows").GetInt32());
        foreach (var file in marker.GetProperty("files").EnumerateArray())
        {
            Assert.Equal(file.GetProperty("sha256").GetString(), ContentHash.Sha256OfFile(Path.Combine(signals, file.GetProperty("file").GetString()!)));
        }

        Assert.Empty(Directory.GetFiles(signals, "*.tmp"));
    }

    [Fact]
    public void Rerunning_inference_for_the_same_as_of_rewrites_identical_outputs_once()
    {
        var dir = demo.Copy();
        try
        {
            var stem = Path.Combine(dir, "signals", "demo_mlp_2023-12-29");
            var csvBefore = File.ReadAllBytes(stem + ".csv");
            var arrowBefore = File.ReadAllBytes(stem + ".arrow");
            using var registry = Open(dir);
            BatchInference.Run(registry, dir, "demo_mlp", AsOf);
            var second = BatchInference.Run(registry, dir, "demo_mlp", AsOf);
            Assert.Equal((1, 50), (second.Version, second.Rows.Count));
            Assert.Equal(csvBefore, File.ReadAllBytes(stem + ".csv"));
            Assert.Equal(arrowBefore, File.ReadAllBytes(stem + ".arrow"));
            Assert.Equal(50, registry.ReadSignals("demo_mlp", AsOf).Count);
            Assert.True(SignalFiles.IsComplete(Path.Combine(dir, "signals"), "demo_mlp", AsOf));
            Assert.Equal(3, registry.Audit.Read().Count(e => e.Action == "deploy.signals"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_by_inference_and_the_cli_names_it()
    {
        var dir = demo.Copy();
        try
        {
            string artifact;
            using (var registry = Open(dir))
            {
                artifact = Path.Combine(dir, Path.GetRelativePath(demo.Directory, registry.GetVersion("demo_mlp", 1).ArtifactPath));
            }

            var bytes = File.ReadAllBytes(artifact);
            bytes[^10] ^= 0x01;
            File.WriteAllBytes(artifact, bytes);
            ModelVersion version;
            using (var registry = Open(dir))
            {
                version = registry.GetVersion("demo_mlp", 1) with { ArtifactPath = artifact };
            }

            var e = Assert.Throws<ArtifactIntegrityException>(() => BatchInference.LoadModel(version));
            Assert.Contains("altered", e.Message);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), e.ActualSha256);

            // The registry row points into the original folder; the CLI is run against the original with a tampered copy swapped in.
            var original = demo.Directory;
            string stored;
            using (var registry = Open(original))
            {
                stored = registry.GetVersion("demo_mlp", 1).ArtifactPath;
            }

            var backup = File.ReadAllBytes(stored);
            File.WriteAllBytes(stored, bytes);
            try
            {
                var csvBefore = File.ReadAllBytes(Path.Combine(original, "signals", "demo_mlp_2023-12-29.csv"));
                var (exit, _, error) = await QpProcess.RunAsync("infer", "demo_mlp", "--as-of", "2023-12-29", "--workdir", original);
                Assert.Equal(1, exit);
                Assert.Contains(stored, error);
                Assert.Contains("altered or corrupted", error);
                Assert.Equal(csvBefore, File.ReadAllBytes(Path.Combine(original, "signals", "demo_mlp_2023-12-29.csv")));
            }
            finally
            {
                File.WriteAllBytes(stored, backup);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Reproducing_from_the_lineage_gives_identical_weights_and_metrics()
    {
        var dir = demo.Copy();
        try
        {
            using var registry = Open(dir);
            var version = registry.GetVersion("demo_mlp", 1);
            version = version with { ArtifactPath = Path.Combine(dir, Path.GetRelativePath(demo.Directory, version.ArtifactPath)) };
            var report = Reproducer.Reproduce(registry, version, dir);
            Assert.True(report.Identical, string.Join("; ", report.Metrics.Select(m => $"{m.Name} {m.Recorded:R} vs {m.Reproduced:R}")));
            Assert.Equal(0, report.MaxAbsWeightDifference);
            Assert.Equal(version.ArtifactSha256, report.ReproducedArtifactSha256);
            Assert.Equal(version.Metrics.Count, report.Metrics.Count);
            Assert.Contains(report.Metrics, m => m.Name == "dsr"); // the deflated Sharpe reproduces too, with the recorded trial count
            Assert.Equal("reproduce", registry.Audit.Read()[^1].Action);

            // A version whose recorded weights and Sharpe differ from what its lineage trains is reported as such.
            var bytes = File.ReadAllBytes(version.ArtifactPath);
            bytes[^2] ^= 0x01; // a low byte of the last weight: still a loadable model, slightly different
            var altered = Path.Combine(dir, "altered.pt");
            File.WriteAllBytes(altered, bytes);
            var (sha, path) = new ContentAddressedArtifactStore(Path.Combine(dir, "artifacts")).Put(altered, move: true);
            var impostor = registry.Register(new ModelVersionRequest("demo_mlp", AsOf, "approved", new Dictionary<string, double>(version.Metrics) { ["sharpe"] = 9.0 }, version.Parameters, path, sha)
            {
                Lineage = version.Lineage,
            });
            var different = Reproducer.Reproduce(registry, impostor, dir);
            Assert.False(different.Identical);
            Assert.False(different.WeightsIdentical);
            Assert.InRange(different.MaxAbsWeightDifference, 1e-12, 1e-2);
            Assert.Equal(["sharpe"], different.Metrics.Where(m => !m.Identical).Select(m => m.Name));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Cli_lists_shows_compares_promotes_and_rolls_back_with_json()
    {
        var dir = demo.Copy();
        try
        {
            using (var registry = Open(dir))
            {
                var v1 = registry.GetVersion("demo_mlp", 1);
                registry.Register(new ModelVersionRequest("demo_mlp", AsOf, "approved", new Dictionary<string, double>(v1.Metrics) { ["sharpe"] = 1.5 }, v1.Parameters, v1.ArtifactPath, v1.ArtifactSha256)
                {
                    Tags = v1.Tags,
                    Lineage = v1.Lineage! with { ParentVersion = 1, Seed = 8 },
                });
            }

            var (exit, output, error) = await QpProcess.RunAsync("registry", "list", "--workdir", dir, "--json");
            Assert.True(exit == 0, error);
            var model = JsonDocument.Parse(output).RootElement[0];
            Assert.Equal(("demo_mlp", 2, 1), (model.GetProperty("name").GetString(), model.GetProperty("latest_version").GetInt32(), model.GetProperty("aliases").GetProperty("production").GetInt32()));

            (exit, output, error) = await QpProcess.RunAsync("registry", "promote", "demo_mlp", "2", "--workdir", dir);
            Assert.True(exit == 0, error);
            Assert.Contains("demo_mlp@production: 1 → 2", output);
            (exit, output, _) = await QpProcess.RunAsync("registry", "show", "demo_mlp@production", "--workdir", dir, "--json");
            var shown = JsonDocument.Parse(output).RootElement;
            Assert.Equal(2, shown.GetProperty("version").GetInt32());
            Assert.Equal(1, shown.GetProperty("lineage").GetProperty("parent_version").GetInt32());

            (exit, output, _) = await QpProcess.RunAsync("registry", "compare", "demo_mlp@1", "demo_mlp@2", "--workdir", dir, "--json");
            var compared = JsonDocument.Parse(output).RootElement;
            var sharpe = compared.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "sharpe");
            Assert.Equal(1.5 - demo.Result.Metrics.Sharpe, sharpe.GetProperty("difference").GetDouble(), 12);
            Assert.Equal(["lineage.seed"], compared.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
            Assert.True(compared.GetProperty("same_artifact").GetBoolean());

            (exit, output, error) = await QpProcess.RunAsync("registry", "rollback", "demo_mlp", "--workdir", dir);
            Assert.True(exit == 0, error);
            Assert.Contains("demo_mlp@production: 2 → 1", output);
            (exit, _, error) = await QpProcess.RunAsync("registry", "rollback", "demo_mlp", "--workdir", dir);
            Assert.Equal(1, exit);
            Assert.Contains("no previous holder", error);

            (exit, output, _) = await QpProcess.RunAsync("registry", "history", "demo_mlp", "--workdir", dir, "--json");
            Assert.Equal(["promote", "promote", "rollback"], JsonDocument.Parse(output).RootElement.EnumerateArray().Select(c => c.GetProperty("action").GetString()));

            (exit, output, _) = await QpProcess.RunAsync("lineage", "demo_mlp@2", "--workdir", dir, "--json");
            Assert.Equal(["demo_mlp@2", "demo_mlp@1"], JsonDocument.Parse(output).RootElement.EnumerateArray().Select(v => v.GetProperty("reference").GetString()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Cli_audit_verify_names_a_tampered_entry_and_export_writes_json_lines()
    {
        var dir = demo.Copy();
        try
        {
            var (exit, output, _) = await QpProcess.RunAsync("audit", "verify", "--workdir", dir);
            Assert.Equal(0, exit);
            Assert.Contains("intact: 16 entries", output);

            DateTime from, to;
            using (var registry = Open(dir))
            {
                var entries = registry.Audit.Read();
                (from, to) = (entries[2].AtUtc, entries[5].AtUtc);
            }

            var file = Path.Combine(dir, "audit.jsonl");
            (exit, _, _) = await QpProcess.RunAsync("audit", "export", "--from", from.ToString("O", CultureInfo.InvariantCulture), "--to", to.ToString("O", CultureInfo.InvariantCulture), "--output", file, "--workdir", dir);
            Assert.Equal(0, exit);
            Assert.Equal([3L, 4L, 5L], File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64()));

            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "models.db")};Pooling=false"))
            {
                connection.Open();
                using var edit = connection.CreateCommand();
                edit.CommandText = "UPDATE audit_log SET payload = replace(payload, '\"passed\":true', '\"passed\":false') WHERE action = 'gate.decision'";
                Assert.Equal(1, edit.ExecuteNonQuery());
            }

            string error;
            (exit, _, error) = await QpProcess.RunAsync("audit", "verify", "--workdir", dir);
            Assert.Equal(1, exit);
            Assert.Contains("broken at entry 7", error);
            Assert.Contains("gate.decision", error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
