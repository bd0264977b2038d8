using QuantPipeline.Core.Calendars;
using QuantPipeline.Core.Compute;
using QuantPipeline.Core.Data;
using QuantPipeline.Core.Features;
using QuantPipeline.Core.Features.Expressions;
using QuantPipeline.Core.Panels;
using QuantPipeline.Orchestrator.Config;
using QuantPipeline.Orchestrator.Pipeline;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Orchestrator.Tests.Pipeline;

/// <summary>The point-in-time training panel: calendar sessions, corporate actions as known at the as-of date, and the lookback the compiler derives.</summary>
public sealed class ModelInputsTests : IDisposable
{
    private static readonly PipelineConfig Config = new() { TrainingWindowDays = 20, ValidationWindowDays = 20 };
    private static readonly IReadOnlyList<DateOnly> Sessions = ExchangeCalendars.Get("XNYS").Sessions(new(2024, 1, 2), new(2024, 6, 28)).Take(90).ToList();
    private const int ExIndex = 70;
    private const int AnnouncedIndex = 60;

    private readonly string _dir = Directory.CreateTempSubdirectory("qp-inputs-").FullName;

    /// <summary>AAA's price rises 0.1 % a session; a 2:1 split on session 70 halves the raw price and doubles the volume.</summary>
    private static double RawClose(int t) => 100 * (1 + 0.001 * t) * (t >= ExIndex ? 0.5 : 1);

    private MarketStore Seed()
    {
        var store = MarketStore.Open(Path.Combine(_dir, "m.duckdb"));
        var bars = new List<Bar>();
        for (var t = 0; t < Sessions.Count; t++)
        {
            var day = Sessions[t].ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var close = RawClose(t);
            bars.Add(new Bar("AAA", day, close, close, close, close, t >= ExIndex ? 2000 + t : 1000 + t));
            var other = 50 + 0.1 * Math.Sin(t);
            bars.Add(new Bar("BBB", day, other, other, other, other, 500 + 7 * (t % 5)));
        }

        store.IngestBars(bars, new BarIngestOptions { AddUnknownSymbols = true });
        store.AddCorporateActions([CorporateAction.Split("AAA", Sessions[ExIndex], Sessions[AnnouncedIndex], 2)]);
        return store;
    }

    [Fact]
    public void The_lookback_is_derived_from_the_feature_definitions()
    {
        // Ref by n reads n bars back; a window of w reads w − 1; Std of a 1-bar return over 20 reads 19 + 1.
        var expected = new Dictionary<string, int> { ["ret_1"] = 1, ["ret_5"] = 5, ["ma_ratio_10"] = 9, ["ma_ratio_20"] = 19, ["vol_20"] = 20, ["volume_z_20"] = 19 };
        Assert.Equal(SkeletonFeatureSet.Names, ModelInputs.Compiled.Outputs.Select(o => o.Name));
        Assert.All(ModelInputs.Compiled.Outputs, o => Assert.Equal(expected[o.Name], o.Lookback));
        Assert.Equal(20, ModelInputs.FeatureLookback);
        Assert.Equal(["close", "volume"], ModelInputs.Compiled.Fields.Order());
        Assert.Equal(20 + 20 + 20 + 2, ModelInputs.SessionsNeeded(Config));
    }

    [Fact]
    public void The_definitions_compute_the_same_values_as_the_kernels_and_become_complete_exactly_at_their_lookback()
    {
        const int t = 60, n = 7;
        var rng = new Random(11);
        var panel = new Panel(Enumerable.Range(0, t).Select(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i)).ToList(), Enumerable.Range(0, n).Select(j => $"S{j}").ToList());
        var close = panel.NewBuffer();
        var volume = panel.NewBuffer();
        for (var j = 0; j < n; j++)
        {
            double price = 20 + 10 * j;
            for (var i = 0; i < t; i++)
            {
                price *= 1 + 0.02 * (rng.NextDouble() - 0.5);
                close[i * n + j] = (float)price;
                volume[i * n + j] = (float)(1e5 * (1 + rng.NextDouble()));
            }
        }

        panel.SetField("close", close).SetField("volume", volume);
        var backend = ComputeBackends.Create("managed");
        SkeletonFeatureSet.Compute(panel, backend);
        var compiled = FeatureEvaluator.Evaluate(ModelInputs.Compiled, new Dictionary<string, float[]> { ["close"] = close, ["volume"] = volume }, t, n, backend);
        foreach (var output in ModelInputs.Compiled.Outputs)
        {
            var kernel = panel.Field(output.Name);
            for (var j = 0; j < n; j++)
            {
                for (var i = 0; i < output.Lookback; i++)
                {
                    Assert.True(float.IsNaN(kernel[i * n + j]), $"{output.Name} at row {i} (before its lookback {output.Lookback}) should be missing");
                }

                for (var i = output.Lookback; i < t; i++)
                {
                    var (a, b) = (kernel[i * n + j], compiled[output.Name][i * n + j]);
                    Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(b)), $"{output.Name} row {i} symbol {j}: kernel {a}, expression {b}");
                }
            }
        }
    }

    [Fact]
    public void After_the_ex_date_earlier_prices_are_split_adjusted_so_no_return_jumps()
    {
        using var store = Seed();
        var asOf = Sessions[80];
        var (panel, snapshot) = ModelInputs.Load(store, Config, asOf);

        Assert.Equal(Sessions.Skip(80 - 62 + 1).Take(62), panel.Timestamps.Select(DateOnly.FromDateTime));
        var aaa = panel.Symbols.ToList().IndexOf("AAA");
        var close = panel.Field("close");
        var volume = panel.Field("volume");
        var first = 80 - 62 + 1;
        for (var i = 0; i < panel.T; i++)
        {
            var t = first + i;
            // Before the split: raw / 2 (= 100 (1 + 0.001 t) / 2), volume × 2; after it: as stored.
            Assert.Equal(50 * (1 + 0.001 * t), close[i * panel.N + aaa], 3);
            Assert.Equal(t >= ExIndex ? 2000 + t : 2 * (1000 + t), volume[i * panel.N + aaa], 3);
        }

        var inputs = ModelInputs.Compute(panel, ComputeBackends.Create("managed"));
        var ret1 = panel.Field("ret_1");
        var ex = ExIndex - first;
        Assert.Equal(1.0 / (1 + 0.001 * (ExIndex - 1)) * (1 + 0.001 * ExIndex) - 1, ret1[ex * panel.N + aaa], 5);
        Assert.Equal(6, inputs.Length);
        Assert.Equal(store.SnapshotId(ModelInputs.Request(Config, asOf, 62), panel), snapshot);
    }

    [Fact]
    public void Before_the_ex_date_an_announced_split_is_not_applied_yet()
    {
        using var store = Seed();
        var asOf = Sessions[ExIndex - 1];
        var panel = ModelInputs.Load(store, Config, asOf).Panel;
        Assert.Equal(asOf, DateOnly.FromDateTime(panel.Timestamps[^1]));
        var aaa = panel.Symbols.ToList().IndexOf("AAA");
        var first = ExIndex - 1 - 62 + 1;
        for (var i = 0; i < panel.T; i++)
        {
            Assert.Equal(RawClose(first + i), panel.Field("close")[i * panel.N + aaa], 3);
        }
    }

    [Fact]
    public void An_as_of_date_past_the_data_ends_at_the_last_stored_session_and_short_history_says_what_is_needed()
    {
        using var store = Seed();
        var panel = ModelInputs.Load(store, Config, new DateOnly(2024, 12, 31)).Panel;
        Assert.Equal(Sessions[^1], DateOnly.FromDateTime(panel.Timestamps[^1]));
        Assert.Equal(62, panel.T);

        var prediction = ModelInputs.LoadForPrediction(store, Config, Sessions[40]).Panel;
        Assert.Equal(Sessions.Skip(40 - 20).Take(21), prediction.Timestamps.Select(DateOnly.FromDateTime));

        var e = Assert.Throws<InvalidOperationException>(() => ModelInputs.Load(store, Config, Sessions[50]));
        Assert.Contains("need 62", e.Message);
        Assert.Contains("Only 51 sessions", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
