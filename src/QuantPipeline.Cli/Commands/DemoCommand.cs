using System.CommandLine;
using System.Globalization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Progress;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Orchestrator.Backfill;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Deploy;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Orchestrator.Schedule;
using QuantPipeline.Storage.Market;
using QuantPipeline.Storage.Registry;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// <c>qp demo</c>: the whole story on embedded defaults — a synthetic XNYS market with corporate actions is generated
/// and ingested, a walk-forward backfill of monthly retrains runs over its last years, the latest approved version
/// is deployed for the last session, and the backfill's report is written.
/// </summary>
public static class DemoCommand
{
    /// <summary>The market's last day; the history runs back <see cref="DemoSize.Years"/> years from it.</summary>
    public static readonly DateOnly LastDay = new(2025, 12, 31);

    /// <summary>The full demo: 500 symbols, 10 years of daily XNYS sessions, 36 monthly retrains.</summary>
    public static readonly DemoSize Full = new(500, 10, 36);

    /// <summary>
    /// The demo's pipeline configuration. Training takes two years (504 sessions) and validation one (252), so the
    /// gate's Sharpe and drawdown cover a year of trading; 4 epochs over 252,000 samples (500 symbols) keep a retrain
    /// to seconds on two cores while the training loss still converges (the reversal the market embeds is learnt).
    /// </summary>
    public static readonly PipelineConfig Config = new()
    {
        ModelName = "demo_mlp",
        Universe = "all",
        TrainingWindowDays = 504,
        ValidationWindowDays = 252,
        TrainingEpochs = 4,
    };

    /// <summary>The full demo's market (see <see cref="MarketFor"/>).</summary>
    public static SyntheticMarketSpec Market => MarketFor(Full);

    /// <summary>
    /// Daily bars on the XNYS sessions of the <paramref name="size"/>'s years up to <see cref="LastDay"/>, seeded, with
    /// splits and quarterly dividends (the pipeline reads prices adjusted as of each date) and a weak cross-sectional
    /// short-term reversal for the model to learn. Its strength is set so that on 500 symbols validation Sharpes land
    /// around 1–3 (the gate passes most retrains, as a real signal would); on a few dozen symbols the long-short
    /// deciles are too noisy to show it and the gate rejects the models. Every symbol trades the whole range.
    /// </summary>
    public static SyntheticMarketSpec MarketFor(DemoSize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        return new SyntheticMarketSpec
        {
            Symbols = size.Symbols,
            From = LastDay.AddYears(-size.Years).AddDays(1),
            To = LastDay,
            Seed = 3,
            Calendar = "XNYS",
            Frequency = SyntheticFrequency.Daily,
            ListingChurn = 0,
            CorporateActions = true,
            ReversalStrength = 0.0175,
        };
    }

    /// <summary>The last <see cref="DemoSize.Retrains"/> monthly retrain dates (first XNYS session of each month) up to the market's end.</summary>
    public static IReadOnlyList<DateOnly> RetrainDates(DemoSize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var dates = RetrainScheduler.Dates(LastDay.AddMonths(-size.Retrains).AddDays(1), LastDay, "monthly", Config.Exchange);
        return dates.Skip(Math.Max(0, dates.Count - size.Retrains)).ToList();
    }

    public static Command Create()
    {
        var workdir = new Option<DirectoryInfo>("--workdir")
        {
            Description = "Working folder for the market store, registry, artifacts, signals, backfill series and report. Reused between runs: a second run reuses the stored bars, retrains and windows.",
            DefaultValueFactory = _ => new DirectoryInfo("qp-demo"),
        };
        var symbols = new Option<int>("--symbols") { Description = "Symbols in the synthetic universe.", DefaultValueFactory = _ => Full.Symbols };
        var years = new Option<int>("--years") { Description = "Years of daily XNYS history up to 2025-12-31.", DefaultValueFactory = _ => Full.Years };
        var retrains = new Option<int>("--retrains") { Description = "Monthly retrains at the end of the history (the backfill's length).", DefaultValueFactory = _ => Full.Retrains };
        var command = new Command(
            "demo",
            """
            Runs every stage end to end on generated market data, on embedded defaults.
            The whole pipeline on synthetic data: a seeded market of 500 symbols × 10 years of daily bars on the NYSE
            (XNYS) sessions up to 2025-12-31, with splits and dividends, is generated and ingested (validated against
            the calendar) into a DuckDB store; a walk-forward backfill runs 36 monthly retrains (features from prices
            adjusted as known at each date, an MLP trained with TorchSharp on CPU, a validation backtest, the quality
            gate, registration in SQLite) and scores each month out of sample with the model in production; the
            latest approved version is deployed (signals for the last session) and an HTML report of the stitched
            out-of-sample backtest is written. Smaller sizes run in seconds.

            Examples:
              qp demo
              qp demo --symbols 60 --years 4 --retrains 3 --workdir /tmp/qp
            """)
        {
            workdir, symbols, years, retrains,
        };
        command.SetAction(parse =>
        {
            var size = new DemoSize(parse.GetValue(symbols), parse.GetValue(years), parse.GetValue(retrains));
            if (size.Symbols < 10 || size.Years < 4 || size.Retrains < 1 || size.Retrains > 12 * (size.Years - 3))
            {
                Console.Error.WriteLine($"error: the demo needs --symbols ≥ 10, --years ≥ 4 (three years of training and validation history come before the first retrain) and 1 ≤ --retrains ≤ 12 × (years − 3); got {size.Symbols}, {size.Years}, {size.Retrains}.");
                return 2;
            }

            return Run(parse.GetValue(workdir)!, size);
        });
        return command;
    }

    public static int Run(DirectoryInfo workdir, DemoSize size)
    {
        ArgumentNullException.ThrowIfNull(workdir);
        ArgumentNullException.ThrowIfNull(size);
        var c = CultureInfo.InvariantCulture;
        var market = MarketFor(size);
        var dates = RetrainDates(size);
        var total = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"QuantPipeline demo in {workdir.FullName}");
        Console.WriteLine($"config: model {Config.ModelName}, training {Config.TrainingWindowDays} sessions, validation {Config.ValidationWindowDays} sessions, {Config.TrainingEpochs} epochs, gate sharpe >= {Config.MinSharpeThreshold}, max_drawdown >= {Config.MaxDrawdownThreshold}, registry {Config.ModelRegistryUri}");
        // The demo's configuration next to its data, so that qp monitor (and any pipeline command) in this folder uses it.
        workdir.Create();
        File.WriteAllText(Path.Combine(workdir.FullName, ConfigOptions.WorkdirConfigFile), DefaultConfigFile.Text(Config));
        try
        {
            // Bars with ETA (ingest, retrains, each retrain's stages and training) on standard error; the story's lines above them.
            var result = ConsoleProgress.Run(enabled: true, Console.Out, (progress, print) =>
            {
                Ingest(workdir.FullName, market, progress, print);
                print($"backfill: {dates.Count} monthly retrains {dates[0]:yyyy-MM-dd}..{dates[^1]:yyyy-MM-dd}, out of sample to {market.To:yyyy-MM-dd}");
                return new WalkForwardBackfill(Config, workdir.FullName, progress).Run(new BackfillOptions { From = dates[0], To = market.To, Frequency = "monthly" });
            });
            BackfillCommand.Print(result);
            Deploy(workdir.FullName, result);
            Console.WriteLine(string.Create(c, $"done in {total.Elapsed.TotalSeconds:0.0} s"));
            Console.WriteLine($"open the report: {result.ReportPath}");
            return 0;
        }
        catch (Exception e) when (e is PipelineStageException or InvalidOperationException or IngestValidationException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static void Ingest(string workdir, SyntheticMarketSpec spec, IProgress<ProgressUpdate> progress, Action<string> print)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var store = MarketStore.Open(Path.Combine(workdir, Config.MarketStorePath));
        var existing = store.CountDailyBars();
        if (existing > 0)
        {
            print($"ingest: the store already holds {existing:N0} bars; nothing to ingest");
            return;
        }

        var market = new SyntheticMarket(spec);
        var result = store.Ingest(market, progress);
        print(string.Create(CultureInfo.InvariantCulture, $"ingest: {result.RowsStored:N0} daily bars ({spec.Symbols} symbols, XNYS sessions {spec.From:yyyy-MM-dd}..{spec.To:yyyy-MM-dd}, seed {spec.Seed}), {market.Actions.Count(a => a.IsSplit)} splits and {market.Actions.Count(a => !a.IsSplit)} dividends, validated, in {watch.Elapsed.TotalSeconds:0.0} s → {store.Path}"));
    }

    /// <summary>Deploys the latest approved version of the backfill for the last session: production alias and signals.</summary>
    private static void Deploy(string workdir, BackfillResult result)
    {
        var approved = result.Retrains.LastOrDefault(o => o.GatePassed);
        if (approved is null)
        {
            Console.WriteLine("deployed: no (the gate rejected every retrain)");
            return;
        }

        using var registry = ModelRegistry.Open(Config.ModelRegistryUri, workdir);
        if (registry.GetAlias(Config.ModelName, ModelRegistry.Production)?.Version != approved.Version)
        {
            registry.Promote(Config.ModelName, approved.Version, ModelRegistry.Production);
        }

        // The last evaluated session's next session is the market's last day: score it too.
        DateTime lastDay;
        using (var store = MarketStore.Open(Path.Combine(workdir, Config.MarketStorePath), readOnly: true))
        {
            lastDay = ModelInputs.LoadForPrediction(store, Config, LastDay).Panel.Timestamps[^1];
        }

        var inference = BatchInference.Run(registry, workdir, Config.ModelName, DateOnly.FromDateTime(lastDay));
        Console.WriteLine($"deployed: {inference.ModelName} v{inference.Version} in production; signals for {inference.AsOf:yyyy-MM-dd} ({inference.Rows.Count} symbols) → {inference.CsvPath}");
    }
}
