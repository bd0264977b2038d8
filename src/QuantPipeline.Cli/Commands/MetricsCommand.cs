using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using QuantPipeline.Core.Metrics;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp metrics</c>: the full metric set of a returns series in a CSV file, printed as JSON.</summary>
public static class MetricsCommand
{
    private static readonly string[] DateColumns = ["date", "timestamp", "time", "ts"];

    public static Command Create()
    {
        var returns = new Option<FileInfo>("--returns") { Description = "CSV file with a header row and one periodic (simple) return per row.", Required = true };
        var column = new Option<string?>("--column") { Description = "Column holding the returns. Default: the only numeric column besides a date column." };
        var periods = new Option<double>("--periods-per-year")
        {
            Description = "Annualisation factor: 252 for daily sessions, 98280 (252 × 390) for minute bars.",
            DefaultValueFactory = _ => PerformanceMetrics.DailyPeriodsPerYear,
        };
        var trials = new Option<int>("--trials") { Description = "Variants tried before this one, for the deflated Sharpe ratio.", DefaultValueFactory = _ => 1 };
        var trialVariance = new Option<double?>("--trial-sharpe-variance") { Description = "Variance of the trials' annualised Sharpe ratios (default: this series' own Sharpe sampling variance)." };
        var benchmark = new Option<double>("--benchmark-sharpe") { Description = "Annualised Sharpe the PSR and minimum track record are measured against.", DefaultValueFactory = _ => 0.0 };
        var command = new Command(
            "metrics",
            """
            Prints the performance metrics of a returns series as JSON.
            Prints the metrics of a returns series as JSON with lowercase snake_case keys: annual_return,
            annual_volatility, sharpe, sortino, max_drawdown (a negative fraction) with its peak, trough and
            recovery (dates when the file has a date column), calmar, hit_rate, skewness, kurtosis, psr, dsr,
            min_track_record_length (periods) and more. Rows must be in time order.

            Examples:
              qp metrics --returns pnl.csv
              qp metrics --returns pnl.csv --column net --periods-per-year 98280
              qp metrics --returns pnl.csv --trials 40 --trial-sharpe-variance 0.3
            """)
        {
            returns, column, periods, trials, trialVariance, benchmark,
        };
        command.SetAction(parse => Run(
            parse.GetValue(returns)!,
            parse.GetValue(column),
            new MetricOptions
            {
                PeriodsPerYear = parse.GetValue(periods),
                Trials = parse.GetValue(trials),
                TrialSharpeVariance = parse.GetValue(trialVariance),
                BenchmarkSharpe = parse.GetValue(benchmark),
            }));
        return command;
    }

    public static int Run(FileInfo file, string? column, MetricOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var (values, dates) = ReadSeries(file, column);
            var report = MetricReport.Compute(values, options with { Dates = dates });
            Console.WriteLine(JsonSerializer.Serialize(report.ToDictionary(), new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
            return 0;
        }
        catch (Exception e) when (e is IOException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Reads the returns column (and a date column when present) of a headed CSV file.</summary>
    public static (double[] Values, DateOnly[]? Dates) ReadSeries(FileInfo file, string? column)
    {
        if (!file.Exists)
        {
            throw new IOException($"{file.FullName}: no such file. Pass a CSV file with a header row to --returns.");
        }

        var lines = File.ReadAllLines(file.FullName);
        if (lines.Length == 0)
        {
            throw new FormatException($"{file.FullName}: the file is empty; it needs a header row and one return per row.");
        }

        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        var dateIndex = Array.FindIndex(header, h => DateColumns.Contains(h, StringComparer.OrdinalIgnoreCase));
        int valueIndex;
        if (column is not null)
        {
            valueIndex = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.Ordinal));
            if (valueIndex < 0)
            {
                throw new ArgumentException($"{file.FullName}: no column '{column}' in the header; columns are {string.Join(", ", header)}.");
            }
        }
        else
        {
            var candidates = Enumerable.Range(0, header.Length).Where(k => k != dateIndex).ToArray();
            if (candidates.Length != 1)
            {
                throw new ArgumentException($"{file.FullName}: {candidates.Length} candidate return columns ({string.Join(", ", candidates.Select(k => header[k]))}); name one with --column.");
            }

            valueIndex = candidates[0];
        }

        var values = new List<double>();
        var dates = dateIndex >= 0 ? new List<DateOnly>() : null;
        for (var row = 1; row < lines.Length; row++)
        {
            if (string.IsNullOrWhiteSpace(lines[row]))
            {
                continue;
            }

            var cells = lines[row].Split(',');
            var where = $"{file.FullName}: line {row + 1}";
            if (cells.Length <= valueIndex || (dateIndex >= 0 && cells.Length <= dateIndex))
            {
                throw new FormatException($"{where} has {cells.Length} fields but the header has {header.Length}.");
            }

            var text = cells[valueIndex].Trim().Trim('"');
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new FormatException($"{where}, column '{header[valueIndex]}': '{text}' is not a finite number; every row needs a return (0 for a flat period).");
            }

            values.Add(value);
            if (dates is not null)
            {
                var cell = cells[dateIndex].Trim().Trim('"');
                var datePart = cell.Length >= 10 ? cell[..10] : cell;
                if (!DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw new FormatException($"{where}, column '{header[dateIndex]}': '{cell}' is not a yyyy-MM-dd date.");
                }

                if (dates.Count > 0 && date < dates[^1])
                {
                    throw new FormatException($"{where}: date {date:yyyy-MM-dd} comes before {dates[^1]:yyyy-MM-dd}; sort the rows in time order.");
                }

                dates.Add(date);
            }
        }

        return ([.. values], dates?.ToArray());
    }
}
