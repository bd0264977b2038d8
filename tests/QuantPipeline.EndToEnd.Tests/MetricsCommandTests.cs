using System.Text.Json;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary><c>qp metrics</c> as a user runs it.</summary>
public sealed class MetricsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-metrics-").FullName;

    private static (int Exit, string Out, string Err) Qp(params string[] args) => QpProcess.Run(args);

    [Fact]
    public void Prints_snake_case_json_with_hand_worked_values_and_drawdown_dates()
    {
        var path = Path.Combine(_dir, "pnl.csv");
        File.WriteAllText(path, "date,gross,net\n2024-01-02,0.03,0.02\n2024-01-03,0,-0.01\n2024-01-04,-0.01,-0.02\n2024-01-05,0.04,0.03\n2024-01-08,0.02,0.01\n");
        var (exit, output, error) = Qp("metrics", "--returns", path, "--column", "net", "--periods-per-year", "252");
        Assert.True(exit == 0, output + error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        // net: 0.02, −0.01, −0.02, 0.03, 0.01 → mean 0.006, Σd² = 0.00172, std = √(0.00172/4)
        Assert.Equal(0.006 / Math.Sqrt(0.00172 / 4) * Math.Sqrt(252), root.GetProperty("sharpe").GetDouble(), 9);
        Assert.Equal(0.989604 / 1.02 - 1, root.GetProperty("max_drawdown").GetDouble(), 12);
        Assert.Equal("2024-01-02", root.GetProperty("max_drawdown_peak_date").GetString());
        Assert.Equal("2024-01-04", root.GetProperty("max_drawdown_trough_date").GetString());
        Assert.Equal("2024-01-08", root.GetProperty("max_drawdown_recovery_date").GetString());
        Assert.Equal(252, root.GetProperty("periods_per_year").GetDouble());
        foreach (var key in new[] { "annual_return", "annual_volatility", "sortino", "calmar", "hit_rate", "psr", "dsr", "min_track_record_length" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        foreach (var property in root.EnumerateObject())
        {
            Assert.Matches("^[a-z][a-z0-9_]*$", property.Name);
        }
    }

    [Fact]
    public void A_bad_cell_is_reported_with_its_line_and_column()
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, "date,ret\n2024-01-02,0.01\n2024-01-03,abc\n");
        var (exit, _, error) = Qp("metrics", "--returns", path);
        Assert.Equal(1, exit);
        Assert.Contains("line 3", error);
        Assert.Contains("'ret'", error);
    }

    [Fact]
    public void An_ambiguous_file_asks_for_a_column()
    {
        var path = Path.Combine(_dir, "two.csv");
        File.WriteAllText(path, "a,b\n0.01,0.02\n0.03,0.01\n");
        var (exit, _, error) = Qp("metrics", "--returns", path);
        Assert.Equal(1, exit);
        Assert.Contains("--column", error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
