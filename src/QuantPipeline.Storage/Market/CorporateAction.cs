namespace QuantPipeline.Storage.Market;

public enum CorporateActionKind
{
    Split,
    Dividend,
}

/// <summary>
/// A split or cash dividend effective on <paramref name="ExDate"/> and announced on <paramref name="AnnouncedOn"/>.
/// A split's ratio is new shares per old share (2 for a 2:1 split, 0.1 for a 1:10 reverse split). A dividend's
/// amount is cash per share outstanding on the ex-date, i.e. after any split effective the same day.
/// </summary>
public sealed record CorporateAction(string Symbol, CorporateActionKind Kind, DateOnly ExDate, DateOnly AnnouncedOn, double Value)
{
    public static CorporateAction Split(string symbol, DateOnly exDate, DateOnly announcedOn, double ratio) =>
        new(symbol, CorporateActionKind.Split, exDate, announcedOn, ratio);

    public static CorporateAction Dividend(string symbol, DateOnly exDate, DateOnly announcedOn, double cashPerShare) =>
        new(symbol, CorporateActionKind.Dividend, exDate, announcedOn, cashPerShare);
}
