using System.Text.Json;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>The qp executable as a user runs it.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-cli-").FullName;

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    [Fact]
    public void Demo_ingests_backfills_monthly_retrains_deploys_the_latest_and_writes_the_report()
    {
        var (exit, output, error) = Qp("demo", "--symbols", "60", "--years", "4", "--retrains", "3", "--workdir", _dir);
        Assert.True(exit == 0, output + error);
        Assert.Matches(@"ingest: 60,180 daily bars \(60 symbols, XNYS sessions 2022-01-01\.\.2025-12-31", output);
        Assert.Contains("backfill: 3 monthly retrains 2025-10-01..2025-12-01", output);
        // The first XNYS session of October, November and December 2025, one version each, in date order. On 60
        // symbols the demo's weak reversal does not show through the noise of 6-name deciles: the gate rejects all three.
        Assert.Matches(@"(?m)^\s+2025-10-01\s+v1\s+gate fail\s+validation Sharpe\s+-0\.37", output);
        Assert.Matches(@"(?m)^\s+2025-11-03\s+v2\s+gate fail\s+validation Sharpe\s+-1\.53", output);
        Assert.Matches(@"(?m)^\s+2025-12-01\s+v3\s+gate fail\s+validation Sharpe\s+-1\.59", output);
        Assert.Contains("out of sample 2025-10-01..2025-12-30", output);
        Assert.Contains("deployed: no (the gate rejected every retrain)", output);
        var report = output.Split('\n').Single(l => l.StartsWith("open the report: ", StringComparison.Ordinal))["open the report: ".Length..].Trim();
        Assert.True(File.Exists(report), report);
        Assert.Contains("Walk-forward backfill of demo_mlp", File.ReadAllText(report));
        Assert.Contains("<section id=\"monitoring\"><h2>Monitoring</h2>", File.ReadAllText(report));

        // Progress goes to standard error, as plain lines with an ETA when it is not a terminal.
        Assert.Matches(@"(?m)^\[ingest\] 60,180/60,180 \(100%\), done in \d+:\d\d - 60,180 bars read", error);
        Assert.Matches(@"(?m)^\[backfill\] 3/3 \(100%\), done in \d+:\d\d", error);
        Assert.Matches(@"(?m)^\[train\] [\d,]+/[\d,]+ \(100%\), done in \d+:\d\d - epoch 4/4, loss", error);
        Assert.Matches(@"(?m)^\[run\] 8/8 \(100%\), done in \d+:\d\d - monitor ok", error);
        Assert.DoesNotContain("[train]", output);

        // Run again: the store, the retrains and the scored windows are reused.
        (exit, output, error) = Qp("demo", "--symbols", "60", "--years", "4", "--retrains", "3", "--workdir", _dir);
        Assert.True(exit == 0, output + error);
        Assert.Contains("nothing to ingest", output);
        Assert.Contains("retrains: 3 (", output);
        Assert.Contains("3 reused)", output);

        // qp run --json in the demo's folder (its qp.yaml): standard output is one JSON document, progress and logs on standard error.
        (exit, output, error) = Qp("run", "--as-of", "2025-12-31", "--json", "--workdir", _dir);
        Assert.True(exit == 0, output + error);
        var run = JsonDocument.Parse(output).RootElement;
        Assert.Contains(run.GetProperty("outcome").GetString(), new[] { "deployed", "rejected", "superseded" });
        Assert.Matches(@"(?m)^\[train\] [\d,]+/[\d,]+ \(100%\), done in \d+:\d\d - epoch 4/4, loss", error);
        Assert.Matches(@"(?m)^\[run\] 8/8 \(100%\), done in \d+:\d\d - monitor ok", error);
        Assert.Contains("stage.end", File.ReadAllText(Path.Combine(_dir, "logs", "runs.jsonl")));
    }

    [Fact]
    public void Help_explains_the_demo()
    {
        var (exit, output, _) = Qp("demo", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--workdir", output);
        Assert.Contains("--retrains", output);
        Assert.Contains("Examples", output);
    }

    [Fact]
    public void Schedule_prints_the_first_XNYS_session_of_each_month_as_lines_or_json()
    {
        var (exit, output, error) = Qp("schedule", "--from", "2024-01-01", "--to", "2024-12-31");
        Assert.True(exit == 0, error);
        Assert.Equal(
            ["2024-01-02", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-03", "2024-07-01", "2024-08-01", "2024-09-03", "2024-10-01", "2024-11-01", "2024-12-02"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        (exit, output, error) = Qp("schedule", "--from", "2024-01-01", "--to", "2024-12-31", "--frequency", "quarterly", "--exchange", "XNYS", "--json");
        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["2024-01-02", "2024-04-01", "2024-07-01", "2024-10-01"], json.GetProperty("dates").EnumerateArray().Select(d => d.GetString()));

        (exit, _, error) = Qp("schedule", "--from", "2024-01-01", "--to", "2024-12-31", "--frequency", "biweekly");
        Assert.Equal(2, exit);
        Assert.Contains("daily, weekly, monthly, quarterly", error);
    }

    [Fact]
    public void Backfill_explains_itself_and_rejects_a_bad_date_with_exit_code_2()
    {
        var (exit, output, _) = Qp("backfill", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--from", "--to", "--frequency", "--config", "--set", "--workdir", "--json", "Examples" })
        {
            Assert.Contains(option, output);
        }

        (exit, _, var error) = Qp("backfill", "--from", "2024-13-01", "--to", "2024-12-31", "--workdir", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("'2024-13-01' is not a date", error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
