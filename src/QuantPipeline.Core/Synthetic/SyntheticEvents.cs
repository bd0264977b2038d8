namespace QuantPipeline.Core.Synthetic;

/// <summary>A generated symbol's listing; <paramref name="DelistedOn"/> is its last session, null if still listed at the end.</summary>
public sealed record SyntheticListing(string Symbol, DateOnly ListedOn, DateOnly? DelistedOn);

/// <summary>A generated split (Value = new shares per old) or cash dividend (Value = cash per share), announced before its ex-date.</summary>
public sealed record SyntheticCorporateAction(string Symbol, bool IsSplit, DateOnly ExDate, DateOnly AnnouncedOn, double Value);
