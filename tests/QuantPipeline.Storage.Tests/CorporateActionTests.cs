using QuantPipeline.Core.Data;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

/// <summary>Back-adjustment against hand-computed numbers (XNYS sessions 2024-01-02, 03, 04, 05, 08).</summary>
public sealed class CorporateActionTests : IDisposable
{
    private readonly TestFiles _files = new();

    private static Bar B(string symbol, int day, double close, double volume) =>
        new(symbol, new DateTime(2024, 1, day, 0, 0, 0, DateTimeKind.Utc), close, close, close, close, volume);

    private MarketStore Seed()
    {
        var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.IngestBars(
            [
                // AAA: 2:1 split ex 01-04, then a 0.50 dividend ex 01-08.
                B("AAA", 2, 100, 1000), B("AAA", 3, 102, 1000), B("AAA", 4, 51, 2000), B("AAA", 5, 50, 2000), B("AAA", 8, 49, 2000),
                // CCC: a 2:1 split and a 1.00 dividend (per post-split share) both ex 01-04.
                B("CCC", 2, 98, 500), B("CCC", 3, 100, 500), B("CCC", 4, 49, 1000), B("CCC", 5, 50, 1000), B("CCC", 8, 50, 1000),
            ],
            new BarIngestOptions { AddUnknownSymbols = true, KnownAt = new DateTime(2024, 1, 9, 0, 0, 0, DateTimeKind.Utc) });
        store.AddCorporateActions(
            [
                CorporateAction.Split("AAA", new(2024, 1, 4), new(2023, 12, 15), 2),
                CorporateAction.Dividend("AAA", new(2024, 1, 8), new(2024, 1, 3), 0.5),
                CorporateAction.Split("CCC", new(2024, 1, 4), new(2023, 12, 20), 2),
                CorporateAction.Dividend("CCC", new(2024, 1, 4), new(2023, 12, 20), 1.0),
            ],
            knownAt: new DateTime(2024, 1, 9, 0, 0, 0, DateTimeKind.Utc));
        return store;
    }

    private static PanelRequest Request(DateOnly? adjustAsOf) =>
        new() { From = new(2024, 1, 2), To = new(2024, 1, 8), Symbols = ["AAA", "CCC"], Fields = ["close", "volume"], AdjustAsOf = adjustAsOf };

    private static double[] Column(float[] values, int s) => Enumerable.Range(0, values.Length / 2).Select(t => (double)values[t * 2 + s]).ToArray();

    [Fact]
    public void Split_then_dividend_adjusts_earlier_prices_and_volumes_by_hand_computed_factors()
    {
        using var store = Seed();
        var panel = store.LoadPanel(Request(new DateOnly(2024, 1, 8)));
        // Dividend factor 1 − 0.5/50 = 0.99 (50: close before its ex-date); split factor 1/2 before 01-04.
        double[] expected = [100 * 0.5 * 0.99, 102 * 0.5 * 0.99, 51 * 0.99, 50 * 0.99, 49];
        Assert.Equal(expected, Column(panel.Field("close"), 0), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal([2000.0, 2000, 2000, 2000, 2000], Column(panel.Field("volume"), 0));
    }

    [Fact]
    public void Split_and_dividend_on_one_day_combine()
    {
        using var store = Seed();
        var panel = store.LoadPanel(Request(new DateOnly(2024, 1, 8)));
        // (1/2)(1 − 2 × 1.00 / 100) = 0.49: a holder of one old share at 100 has two shares worth 49 plus 2.00 cash.
        double[] expected = [98 * 0.49, 100 * 0.49, 49, 50, 50];
        Assert.Equal(expected, Column(panel.Field("close"), 1), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal([1000.0, 1000, 1000, 1000, 1000], Column(panel.Field("volume"), 1));
    }

    [Fact]
    public void Actions_not_yet_ex_or_announced_at_the_adjustment_date_are_not_applied()
    {
        using var store = Seed();
        // As of 01-05 the dividend (announced 01-03, ex 01-08) has not gone ex: only the split applies.
        var panel = store.LoadPanel(Request(new DateOnly(2024, 1, 5)));
        Assert.Equal([50.0, 51, 51, 50, 49], Column(panel.Field("close"), 0), (a, b) => Math.Abs(a - b) < 1e-4);
        // As of 01-03 nothing has gone ex: raw prices.
        var raw = store.LoadPanel(Request(null));
        Assert.Equal(raw.Field("close"), store.LoadPanel(Request(new DateOnly(2024, 1, 3))).Field("close"));
        Assert.Equal(100.0, Column(raw.Field("close"), 0)[0]);
    }

    [Fact]
    public void Actions_recorded_after_the_knowledge_time_are_invisible()
    {
        using var store = Seed();
        var panel = store.LoadPanel(Request(new DateOnly(2024, 1, 8)) with { KnownAt = new DateTime(2024, 1, 9, 0, 0, 0, DateTimeKind.Utc).AddTicks(-10) });
        Assert.True(Column(panel.Field("close"), 0).All(double.IsNaN));
        var known = store.LoadPanel(Request(new DateOnly(2024, 1, 8)) with { KnownAt = new DateTime(2024, 1, 9, 0, 0, 0, DateTimeKind.Utc) });
        Assert.Equal(49.5, Column(known.Field("close"), 0)[0], 4);
        Assert.Equal(2, store.CorporateActions("AAA").Count);
        Assert.Empty(store.CorporateActions("AAA", new DateTime(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void The_stored_dates_panel_is_adjusted_only_when_asked_with_the_same_factors()
    {
        using var store = Seed();
        var raw = store.LoadDailyPanel(new(2024, 1, 2), new(2024, 1, 8), ["close", "volume"]);
        var adjusted = store.LoadDailyPanel(new(2024, 1, 2), new(2024, 1, 8), ["close", "volume"], adjustAsOf: new DateOnly(2024, 1, 8));
        Assert.Equal(["AAA", "CCC"], adjusted.Symbols);
        Assert.Equal([100.0, 102, 51, 50, 49], Column(raw.Field("close"), 0));
        Assert.Equal([100 * 0.5 * 0.99, 102 * 0.5 * 0.99, 51 * 0.99, 50 * 0.99, 49], Column(adjusted.Field("close"), 0), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal([98 * 0.49, 100 * 0.49, 49, 50, 50], Column(adjusted.Field("close"), 1), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal([2000.0, 2000, 2000, 2000, 2000], Column(adjusted.Field("volume"), 0));
    }

    public void Dispose() => _files.Dispose();
}
