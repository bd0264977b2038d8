namespace QuantPipeline.Storage.Market;

/// <summary>What to do with rows that break a validation rule.</summary>
public enum IngestPolicy
{
    /// <summary>Any violation fails the whole batch; the store is left exactly as before.</summary>
    Reject,

    /// <summary>Violating rows go to the quarantine table with their rule and message; valid rows are stored.</summary>
    Quarantine,
}

public enum BarFrequency
{
    /// <summary>One bar per session, keyed by session date.</summary>
    Daily,

    /// <summary>One-minute bars keyed by the bar's end time in UTC.</summary>
    Minute,
}
