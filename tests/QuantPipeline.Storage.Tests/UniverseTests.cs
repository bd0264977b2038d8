using QuantPipeline.Core.Data;
using QuantPipeline.Storage.Market;

namespace QuantPipeline.Storage.Tests;

/// <summary>Universe membership history and delistings, point in time, without survivorship bias.</summary>
public sealed class UniverseTests : IDisposable
{
    private static readonly DateTime K1 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime K2 = new(2024, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    private readonly TestFiles _files = new();

    private static Bar B(string symbol, int day) => new(symbol, new DateTime(2024, 1, day, 0, 0, 0, DateTimeKind.Utc), 10, 10, 10, 10, 1);

    private MarketStore Seed()
    {
        var store = MarketStore.Open(_files.Path("m.duckdb"));
        store.AddSymbols(
            [
                new("AAA", "XNYS", new(2000, 1, 3)),
                new("BBB", "XNYS", new(2000, 1, 3)),
                new("CCC", "XNYS", new(2024, 1, 3)),
                new("DDD", "XNYS", new(2000, 1, 3)),
            ],
            K1);
        // BBB's delisting (last session 01-04) becomes known on 01-05.
        store.AddSymbols([new("BBB", "XNYS", new(2000, 1, 3), new(2024, 1, 4))], K2);
        store.AddUniverseMembers(
            "IDX",
            [
                new("AAA", new(2023, 1, 3)),
                new("BBB", new(2023, 1, 3)),
                new("CCC", new(2024, 1, 5)),
                new("DDD", new(2023, 1, 3), new(2024, 1, 2)),
            ],
            K1);
        store.IngestBars(
            [B("AAA", 2), B("BBB", 2), B("DDD", 2), B("AAA", 3), B("BBB", 3), B("CCC", 3), B("DDD", 3), B("AAA", 4), B("BBB", 4), B("CCC", 4), B("DDD", 4), B("AAA", 5), B("CCC", 5), B("DDD", 5)],
            new BarIngestOptions { KnownAt = K2 });
        return store;
    }

    [Fact]
    public void The_universe_at_a_date_holds_exactly_its_members_that_day()
    {
        using var store = Seed();
        Assert.Equal(["AAA", "BBB", "DDD"], store.UniverseAt("IDX", new(2024, 1, 2)));
        Assert.Equal(["AAA", "BBB"], store.UniverseAt("IDX", new(2024, 1, 4)));
        Assert.Equal(["AAA", "CCC"], store.UniverseAt("IDX", new(2024, 1, 5)));
        // Before the delisting was known, BBB still looked like a member.
        Assert.Equal(["AAA", "BBB", "CCC"], store.UniverseAt("IDX", new(2024, 1, 5), K1));
        Assert.Empty(store.UniverseAt("IDX", new(2022, 6, 1)));
    }

    [Fact]
    public void A_universe_panel_keeps_delisted_and_removed_symbols_with_their_history_and_masks_membership()
    {
        using var store = Seed();
        var panel = store.LoadPanel(new PanelRequest { From = new(2024, 1, 2), To = new(2024, 1, 5), Universe = "IDX", Fields = ["close"] });
        Assert.Equal(["AAA", "BBB", "CCC", "DDD"], panel.Symbols);
        bool[] expected =
        [
            true, true, false, true,   // 01-02
            true, true, false, false,  // 01-03
            true, true, false, false,  // 01-04
            true, false, true, false,  // 01-05
        ];
        Assert.Equal(expected, panel.Membership);
        var close = panel.Field("close");
        Assert.Equal(10f, close[2 * 4 + 1]); // BBB's last session is still there
        Assert.True(float.IsNaN(close[3 * 4 + 1]));
        Assert.Equal(10f, close[3 * 4 + 3]); // DDD keeps trading after leaving the index: data, but not a member
    }

    public void Dispose() => _files.Dispose();
}
