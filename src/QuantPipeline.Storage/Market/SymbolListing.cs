namespace QuantPipeline.Storage.Market;

/// <summary>A symbol's listing on an exchange; <paramref name="DelistedOn"/> is its last trading session (null while listed).</summary>
public sealed record SymbolListing(string Symbol, string Exchange, DateOnly ListedOn, DateOnly? DelistedOn = null);
