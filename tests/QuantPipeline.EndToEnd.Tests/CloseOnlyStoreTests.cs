using System.Globalization;
using System.Text;
using QuantPipeline.Core.Calendars;

namespace QuantPipeline.EndToEnd.Tests;

/// <summary>A store fed by a close-only long file (symbol,date,close), as a user with a public adjusted-close file has.</summary>
public sealed class CloseOnlyStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qp-close-only-").FullName;

    [Fact]
    public void A_run_needing_volume_is_refused_in_prepare_naming_the_field_the_feature_and_its_expression()
    {
        // 30 synthetic symbols, a seeded random walk of closes on every XNYS session 1998-2000.
        var file = Path.Combine(_dir, "dow30_close.csv");
        var text = new StringBuilder("symbol,date,close\n");
        var random = new Random(30);
        var sessions = XnysCalendar.Instance.Sessions(new DateOnly(1998, 1, 1), new DateOnly(2000, 12, 29));
        for (var s = 0; s < 30; s++)
        {
            var price = 50.0;
            foreach (var d in sessions)
            {
                price *= Math.Exp(0.0003 + 0.015 * (random.NextDouble() - 0.5));
                text.Append(CultureInfo.InvariantCulture, $"S{s:D2},{d:yyyy-MM-dd},{price:0.0000}\n");
            }
        }

        File.WriteAllText(file, text.ToString());
        var (exit, output, error) = QpProcess.Run("ingest", file, "--store", Path.Combine(_dir, "data", "market.duckdb"), "--add-symbols");
        Assert.True(exit == 0, output + error);
        Assert.Contains($"read {30 * sessions.Count}, stored {30 * sessions.Count}, quarantined 0", output);

        (exit, output, error) = QpProcess.Run("run", "--as-of", "2000-06-30", "--workdir", _dir, "--set", "training_window_days=300", "--set", "validation_window_days=100");
        Assert.Equal(1, exit);
        Assert.Contains("prepare failed", output + error);
        Assert.Contains("holds no volume for", error);
        Assert.Contains("volume_z_20 = ($volume - Mean($volume, 20)) / Std($volume, 20) need it", error);
        Assert.Contains("Ingest bars with a volume column", error);
        Assert.DoesNotContain("train started", output + error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
