using System.CommandLine;
using System.Globalization;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp demo</c>: every stage, end to end, on embedded defaults.</summary>
public static class DemoCommand
{
    /// <summary>The demo's market: 50 symbols, three years of daily bars, seeded.</summary>
    public static readonly SyntheticMarketOptions Market = new()
    {
        Symbols = 50,
        From = new DateOnly(2021, 1, 4),
        To = new DateOnly(2023, 12, 29),
        Seed = 42,
    };

    /// <summary>Three years of data hold two years of training and one of validation after the lookback.</summary>
    public static readonly PipelineConfig Config = new()
    {
        ModelName = "demo_mlp",
        Universe = "synthetic-50",
        TrainingWindowDays = 504,
        ValidationWindowDays = 252,
    };

    public static Command Create()
    {
        var workdir = new Option<DirectoryInfo>("--workdir")
        {
            Description = "Working folder for the market store, registry, artifacts, signals and run records. Reused between runs, so a second run registers version 2.",
            DefaultValueFactory = _ => new DirectoryInfo("qp-demo"),
        };
        var command = new Command(
            "demo",
            """
            Runs the whole pipeline on synthetic data: 50 symbols × 3 years of daily bars are generated into a
            DuckDB store, six features are computed, an MLP is trained with TorchSharp on CPU, a long-short
            validation backtest gives Sharpe and max drawdown, the quality gate decides, the model is registered
            in SQLite, signals are written for the as-of date and feature drift (PSI) is reported.

            Examples:
              qp demo
              qp demo --workdir /tmp/qp
            """)
        {
            workdir,
        };
        command.SetAction(parse => Run(parse.GetValue(workdir)!));
        return command;
    }

    public static int Run(DirectoryInfo workdir)
    {
        ArgumentNullException.ThrowIfNull(workdir);
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"QuantPipeline demo in {workdir.FullName}");
        Console.WriteLine($"config: model {Config.ModelName}, training {Config.TrainingWindowDays} sessions, validation {Config.ValidationWindowDays} sessions, gate sharpe >= {Config.MinSharpeThreshold}, max_drawdown >= {Config.MaxDrawdownThreshold}, registry {Config.ModelRegistryUri}");
        var total = System.Diagnostics.Stopwatch.StartNew();
        var pipeline = new ProductionPipeline(Config, workdir.FullName, record =>
            Console.WriteLine(string.Create(culture, $"  {record.Stage,-9} {record.Status,-8} {record.Seconds,7:0.000} s  {record.Error ?? record.Detail}")));
        try
        {
            var result = pipeline.RunDemo(Market);
            Console.WriteLine($"gate: {result.Gate.Describe()}");
            Console.WriteLine($"registered: {result.ModelName} version {result.Version} (sha256 {result.ArtifactSha256[..12]}…)");
            Console.WriteLine(result.SignalsPath is null ? "deployed: no (gate rejected)" : $"deployed: signals {result.SignalsPath}");
            Console.WriteLine($"run record: {result.RunRecordPath}");
            Console.WriteLine(string.Create(culture, $"done in {total.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }
        catch (PipelineStageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
