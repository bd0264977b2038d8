namespace QuantPipeline.Storage.Market;

/// <summary>Names of the ingest validation rules, as they appear in errors and in the quarantine table.</summary>
public static class ValidationRules
{
    public const string MissingValue = "missing-value";
    public const string MalformedValue = "malformed-value";
    public const string Duplicate = "duplicate";
    public const string NonMonotonicTimestamp = "non-monotonic-timestamp";
    public const string NonPositivePrice = "non-positive-price";
    public const string NegativeVolume = "negative-volume";
    public const string HighBelowLow = "high-below-low";
    public const string OpenCloseOutsideRange = "open-close-outside-range";
    public const string OutsideSession = "outside-session";
    public const string UnknownSymbol = "unknown-symbol";
}
