using System.Globalization;
using System.Text;
using QuantPipeline.Core.Backtest;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Pipeline;

namespace QuantPipeline.Orchestrator.Backfill;

/// <summary>The stitched out-of-sample series of a backfill and its files (each written atomically).</summary>
internal sealed class BackfillSeries(
    IReadOnlyList<DateOnly> sessions,
    IReadOnlyList<string> symbols,
    float[] scores,
    float[] realised,
    int[] scoredBy,
    BacktestResult backtest,
    double[] ic,
    double[] rankIc)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>session,symbol,version,score,realised: every scored (session, symbol); realised is the next-session total return.</summary>
    public string WritePredictionsCsv(string path)
    {
        var n = symbols.Count;
        var text = new StringBuilder("session,symbol,version,score,realised\n");
        for (var i = 0; i < sessions.Count; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var score = scores[i * n + j];
                if (!float.IsFinite(score))
                {
                    continue;
                }

                var outcome = realised[i * n + j];
                text.Append(sessions[i].ToString("yyyy-MM-dd", C)).Append(',').Append(symbols[j]).Append(',')
                    .Append(scoredBy[i].ToString(C)).Append(',').Append(score.ToString("R", C)).Append(',')
                    .Append(float.IsFinite(outcome) ? outcome.ToString("R", C) : string.Empty).Append('\n');
            }
        }

        AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The same as an Arrow IPC panel (fields score and realised; membership = scored), for tools that read panels.</summary>
    public string WritePredictionsArrow(string path)
    {
        var panel = new Panel(sessions.Select(d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).ToList(), symbols);
        panel.SetField("score", scores);
        panel.SetField("realised", realised);
        for (var k = 0; k < scores.Length; k++)
        {
            panel.Membership[k] = float.IsFinite(scores[k]);
        }

        var temp = path + $".{Environment.ProcessId}.tmp";
        PanelIpc.WriteFile(panel, temp);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>session,version,gross_return,net_return,turnover,long,short,ic,rank_ic: one row per session.</summary>
    public string WriteDailyCsv(string path)
    {
        var text = new StringBuilder("session,version,gross_return,net_return,turnover,long,short,ic,rank_ic\n");
        for (var i = 0; i < sessions.Count; i++)
        {
            text.Append(sessions[i].ToString("yyyy-MM-dd", C)).Append(',')
                .Append(scoredBy[i].ToString(C)).Append(',')
                .Append(backtest.GrossReturns[i].ToString("R", C)).Append(',')
                .Append(backtest.NetReturns[i].ToString("R", C)).Append(',')
                .Append(backtest.Turnover[i].ToString("R", C)).Append(',')
                .Append(backtest.LongCount[i].ToString(C)).Append(',')
                .Append(backtest.ShortCount[i].ToString(C)).Append(',')
                .Append(double.IsFinite(ic[i]) ? ic[i].ToString("R", C) : string.Empty).Append(',')
                .Append(double.IsFinite(rankIc[i]) ? rankIc[i].ToString("R", C) : string.Empty).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }
}
