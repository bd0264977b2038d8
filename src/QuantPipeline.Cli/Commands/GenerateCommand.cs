using System.CommandLine;
using System.Globalization;
using QuantPipeline.Cli.Output;
using QuantPipeline.Core.Synthetic;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Cli.Commands;

/// <summary><c>qp generate</c>: a seeded synthetic market streamed to a file or into the store.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var symbols = new Option<int>("--symbols") { Description = "Number of symbols.", DefaultValueFactory = _ => 100 };
        var from = new Option<string>("--from") { Description = "First date (yyyy-MM-dd).", Required = true };
        var to = new Option<string>("--to") { Description = "Last date (yyyy-MM-dd).", Required = true };
        var freq = new Option<string>("--freq") { Description = "1d or 1min.", DefaultValueFactory = _ => "1d" };
        freq.AcceptOnlyFromAmong("1d", "1min");
        var calendar = new Option<string>("--calendar") { Description = "Exchange calendar: XNYS, WEEKDAY or 24/7.", DefaultValueFactory = _ => "XNYS" };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo?>("--out") { Description = "Bar file to write: .parquet, .arrow or .csv; listings and corporate actions go to FILE.listings.csv and FILE.actions.csv." };
        var store = new Option<string?>("--store") { Description = "Market store to ingest into (listings, bars, corporate actions), e.g. data/market.duckdb." };
        var json = new Option<bool>("--json") { Description = "Print what was written as JSON: bars, listings, corporate actions, the store batch id or the output file, seconds." };
        var command = new Command(
            "generate",
            """
            Generates a seeded synthetic market of daily or minute bars.
            The market follows an exchange calendar: factor structure, fat-tailed GARCH returns,
            U-shaped intraday volume, listings and delistings, splits and dividends announced ahead of their ex-dates.
            Bars stream to the output, so large markets do not need to fit in memory.

            Examples:
              qp generate --symbols 500 --from 2015-01-02 --to 2024-12-31 --freq 1d --store data/market.duckdb
              qp generate --symbols 3000 --from 2024-01-02 --to 2024-01-31 --freq 1min --out minutes.parquet
              qp generate --symbols 20 --from 2024-01-02 --to 2024-03-28 --out bars.csv --json
            """)
        {
            symbols, from, to, freq, calendar, seed, output, store, json,
        };
        command.SetAction(parse =>
        {
            try
            {
                var outFile = parse.GetValue(output);
                var storePath = parse.GetValue(store);
                if ((outFile is null) == (storePath is null))
                {
                    throw new ArgumentException("Give exactly one of --out FILE or --store PATH.");
                }

                var market = new SyntheticMarket(new SyntheticMarketSpec
                {
                    Symbols = parse.GetValue(symbols),
                    From = ParseDate(parse.GetValue(from)!, "--from"),
                    To = ParseDate(parse.GetValue(to)!, "--to"),
                    Frequency = parse.GetValue(freq) == "1min" ? SyntheticFrequency.Minute : SyntheticFrequency.Daily,
                    Calendar = parse.GetValue(calendar)!,
                    Seed = parse.GetValue(seed),
                });
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var c = CultureInfo.InvariantCulture;
                if (storePath is not null)
                {
                    using var marketStore = MarketStore.Open(storePath);
                    var result = marketStore.Ingest(market);
                    if (parse.GetValue(json))
                    {
                        JsonOutput.Write(new { Store = marketStore.Path, result.BatchId, Bars = result.RowsStored, Listings = market.Listings.Count, CorporateActions = market.Actions.Count, Seconds = watch.Elapsed.TotalSeconds });
                        return 0;
                    }

                    Console.WriteLine(string.Create(c, $"{result.BatchId}: {result.RowsStored:N0} bars, {market.Listings.Count} listings, {market.Actions.Count} corporate actions → {marketStore.Path} in {watch.Elapsed.TotalSeconds:0.0} s"));
                    return 0;
                }

                var path = outFile!.FullName;
                var written = BarFileWriter.Write(market.Bars(), path, SyntheticMarketIngest.Frequency(market));
                File.WriteAllLines(path + ".listings.csv", market.Listings.Select(l => string.Create(c, $"{l.Symbol},{l.ListedOn:yyyy-MM-dd},{l.DelistedOn:yyyy-MM-dd}")).Prepend("symbol,listed_on,delisted_on"));
                File.WriteAllLines(path + ".actions.csv", market.Actions.Select(a => string.Create(c, $"{a.Symbol},{(a.IsSplit ? "split" : "dividend")},{a.ExDate:yyyy-MM-dd},{a.AnnouncedOn:yyyy-MM-dd},{a.Value:R}")).Prepend("symbol,kind,ex_date,announced_on,value"));
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new { Output = path, Bars = written, Listings = market.Listings.Count, CorporateActions = market.Actions.Count, ListingsFile = path + ".listings.csv", ActionsFile = path + ".actions.csv", Seconds = watch.Elapsed.TotalSeconds });
                    return 0;
                }

                Console.WriteLine(string.Create(c, $"{written:N0} bars → {path} in {watch.Elapsed.TotalSeconds:0.0} s ({market.Actions.Count} corporate actions, listings in {Path.GetFileName(path)}.listings.csv)"));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ArgumentException($"{option} '{text}' is not a date; write it as yyyy-MM-dd, e.g. 2024-01-31.");
}
