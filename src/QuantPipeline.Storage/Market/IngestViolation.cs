namespace QuantPipeline.Storage.Market;

/// <summary>One row that broke a validation rule: where (source, row, symbol, timestamp), which rule and why.</summary>
public sealed record IngestViolation(string Source, long Row, string? Symbol, string? Timestamp, string Rule, string Message)
{
    public override string ToString() =>
        $"{Source}: row {Row}{(Symbol is null ? string.Empty : $", symbol {Symbol}")}{(Timestamp is null ? string.Empty : $", {Timestamp}")}: [{Rule}] {Message}";
}
