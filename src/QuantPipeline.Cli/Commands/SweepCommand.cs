using System.CommandLine;
using System.Globalization;
using System.Text;
using QuantPipeline.Cli.Output;
using QuantPipeline.Cluster.Sweeps;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Panels;
using QuantPipeline.Core.Progress;

namespace QuantPipeline.Cli.Commands;

/// <summary>
/// <c>qp sweep</c>: a grid of long-short backtest variants (quantile × commission × delay × rebalance interval) over a
/// signal and returns panel, one CSV row of net-return metrics per variant, on this machine or on a cluster.
/// </summary>
public static class SweepCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var inputs = new Option<FileInfo>("--inputs") { Description = "Panel Arrow file (PanelIpc) with fields 'signal' and 'returns' (optional: open_gap, adv, half_spread_bps).", Required = true };
        var quantiles = new Option<string>("--quantile") { Description = "Comma-separated long/short quantiles.", DefaultValueFactory = _ => "0.1" };
        var commissions = new Option<string>("--commission-bps") { Description = "Comma-separated commissions in basis points.", DefaultValueFactory = _ => "0" };
        var delays = new Option<string>("--delay") { Description = "Comma-separated execution delays in bars.", DefaultValueFactory = _ => "1" };
        var rebalance = new Option<string>("--rebalance") { Description = "Comma-separated rebalance intervals in bars.", DefaultValueFactory = _ => "1" };
        var periods = new Option<double>("--periods-per-year") { Description = "Annualisation factor of the metrics.", DefaultValueFactory = _ => 252 };
        var chunk = new Option<int>("--chunk") { Description = "Variants per unit of work with --cluster.", DefaultValueFactory = _ => 8 };
        var output = new Option<FileInfo>("--out") { Description = "Metrics CSV, one row per variant in grid order.", Required = true };
        var cluster = new ClusterOptions();
        var command = new Command(
            "sweep",
            """
            Runs a grid of backtest variants and writes their metrics (Sharpe and annual figures use --periods-per-year).

            Examples:
              qp sweep --inputs bt.arrow --quantile 0.1,0.2 --commission-bps 0,5 --delay 0,1 --rebalance 1,5 --out sweep.csv
            """)
        {
            inputs, quantiles, commissions, delays, rebalance, periods, chunk, output,
        };
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var grid = BacktestSweep.Grid(
                    new BacktestOptions(),
                    Numbers(parse.GetValue(quantiles)!, "--quantile"),
                    Numbers(parse.GetValue(commissions)!, "--commission-bps"),
                    Numbers(parse.GetValue(delays)!, "--delay").Select(d => (int)d),
                    Numbers(parse.GetValue(rebalance)!, "--rebalance").Select(r => (int)r));
                return Run(parse.GetValue(inputs)!, grid, parse.GetValue(periods), parse.GetValue(chunk), parse.GetValue(output)!, cluster.Read(parse));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    public static int Run(FileInfo inputs, IReadOnlyList<BacktestOptions> variants, double periodsPerYear, int chunk, FileInfo output, ClusterRun? cluster)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        if (!inputs.Exists)
        {
            throw new FileNotFoundException($"--inputs '{inputs.FullName}' does not exist.", inputs.FullName);
        }

        var results = ConsoleProgress.Run(true, progress =>
        {
            // The same lines here and on a cluster: the start, variants as they finish (chunks there), and the end.
            progress.Report(new ProgressUpdate("sweep", 0, variants.Count, $"{variants.Count} variant(s) of {inputs.Name}"));
            IReadOnlyList<SweepVariantResult> done;
            if (cluster is null)
            {
                var data = SweepInputs.FromPanel(PanelIpc.ReadFile(inputs.FullName), inputs.FullName);
                done = BacktestSweep.Run(data, variants, periodsPerYear).Select(r => new SweepVariantResult(r.Options, r.Metrics, r.TotalCosts)).ToList();
            }
            else
            {
                var chunks = new ChunkProgress(progress, variants.Count, chunk);
                done = cluster.UseAsync(dispatcher => SweepChunks.RunAsync(dispatcher, inputs.FullName, variants, periodsPerYear, chunk, chunks)).GetAwaiter().GetResult();
            }

            progress.Report(new ProgressUpdate("sweep", variants.Count, variants.Count, "metrics computed"));
            return done;
        });

        output.Directory?.Create();
        var csv = new StringBuilder("variant,quantile,commission_bps,delay_bars,rebalance_every,sharpe,max_drawdown,annual_return,annual_volatility,mean_turnover,total_costs,periods,periods_per_year\n");
        for (var i = 0; i < results.Count; i++)
        {
            var (o, m) = (results[i].Options, results[i].Metrics);
            csv.Append(Inv, $"{i},{R(o.Quantile)},{R(o.CommissionBps)},{o.DelayBars},{o.RebalanceEvery},{R(m.Sharpe)},{R(m.MaxDrawdown)},{R(m.AnnualReturn)},{R(m.AnnualVolatility)},{R(m.MeanTurnover)},{R(results[i].TotalCosts)},{m.Periods},{R(m.PeriodsPerYear)}\n");
        }

        File.WriteAllText(output.FullName, csv.ToString());
        var best = results.Select((r, i) => (r, i)).Where(x => double.IsFinite(x.r.Metrics.Sharpe)).OrderByDescending(x => x.r.Metrics.Sharpe).FirstOrDefault();
        Console.WriteLine(
            $"{results.Count} variant(s) → {output.FullName}" +
            (best.r is null ? string.Empty : string.Create(Inv, $" (best Sharpe {best.r.Metrics.Sharpe:F3}: variant {best.i}, annualised with {periodsPerYear} periods a year)")));
        return 0;
    }

    private static string R(double value) => value.ToString("R", Inv);

    private static List<double> Numbers(string text, string option)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            values.Add(double.TryParse(part, NumberStyles.Float, Inv, out var v) ? v : throw new FormatException($"{option} '{part}' is not a number (give a comma-separated list, e.g. 0.1,0.2)."));
        }

        return values.Count > 0 ? values : throw new FormatException($"{option} is empty; give at least one value.");
    }

    /// <summary>Committed chunks as variants done, short of the total until the metrics are all in.</summary>
    private sealed class ChunkProgress(IProgress<ProgressUpdate> progress, int variants, int chunk) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) =>
            progress.Report(new ProgressUpdate("sweep", Math.Min(variants - 1, value.Done * chunk), variants));
    }
}
