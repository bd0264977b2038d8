using System.CommandLine;
using System.Globalization;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp demo</c>: every stage, end to end, on embedded defaults.</summary>
public static class DemoCommand
{
    /// <summary>
    /// The demo's market: 50 symbols, daily bars on the XNYS sessions of 2021-01-04..2023-12-29, seeded, with a weak
    /// cross-sectional short-term reversal for the model to learn. Listings/delistings and corporate actions are off:
    /// the prepare stage reads raw stored prices, so every symbol trades every session and no split or dividend shows
    /// up as a return. Seed 3 is one whose last month stays within the training range's volatility, so the demo's
    /// drift report (PSI) shows a clean run; GARCH clustering makes vol_20 drift past the alert level on many seeds.
    /// </summary>
    public static readonly SyntheticMarketSpec Market = new()
    {
        Symbols = 50,
        From = new DateOnly(2021, 1, 4),
        To = new DateOnly(2023, 12, 29),
        Seed = 3,
        Calendar = "XNYS",
        Frequency = SyntheticFrequency.Daily,
        ListingChurn = 0,
        CorporateActions = false,
        ReversalStrength = 0.03,
    };

    /// <summary>
    /// The market holds 753 XNYS sessions (not 782 weekdays: the exchange closes on holidays). Validation keeps a full year
    /// (252 sessions) so the gate's Sharpe and drawdown cover one year of trading; training takes what is left after
    /// the 21-session feature lookback and the 2 sessions of label horizon: 476 + 252 + 21 + 2 = 751 ≤ 753.
    /// </summary>
    public static readonly PipelineConfig Config = new()
    {
        ModelName = "demo_mlp",
        Universe = "synthetic-50",
        TrainingWindowDays = 476,
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
            Runs every stage end to end on generated market data, on embedded defaults.
            Runs the whole pipeline on synthetic data: 50 symbols × 3 years of daily bars on the NYSE (XNYS)
            sessions of 2021-01-04..2023-12-29 are generated, seeded, and ingested (validated against the calendar)
            into a DuckDB store, without listings/delistings or corporate actions, six features are computed, an MLP is trained with TorchSharp on CPU, a long-short
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
        // The demo's configuration next to its data, so that qp monitor (and any pipeline command) in this folder uses it.
        workdir.Create();
        File.WriteAllText(Path.Combine(workdir.FullName, ConfigOptions.WorkdirConfigFile), DefaultConfigFile.Text(Config));
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
