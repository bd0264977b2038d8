namespace QuantPipeline.Storage.Market;

/// <summary>A symbol's membership of a universe from <paramref name="From"/> through <paramref name="To"/> (both inclusive; null: still a member).</summary>
public sealed record UniverseMember(string Symbol, DateOnly From, DateOnly? To = null);
