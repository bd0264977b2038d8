namespace QuantPipeline.Storage.Market;

/// <summary>How to read and check a batch of bars.</summary>
public sealed record BarIngestOptions
{
    public BarFrequency Frequency { get; init; } = BarFrequency.Daily;

    /// <summary>Calendar (ISO MIC or WEEKDAY / 24/7) the bars must fall on.</summary>
    public string Calendar { get; init; } = "XNYS";

    public IngestPolicy Policy { get; init; } = IngestPolicy.Reject;

    /// <summary>Canonical column → source column, for sources whose headers differ (e.g. close → Adj Close).</summary>
    public IReadOnlyDictionary<string, string> ColumnMap { get; init; } = new Dictionary<string, string>();

    /// <summary>The symbol of every row, for one-symbol-per-file sources without a symbol column.</summary>
    public string? Symbol { get; init; }

    /// <summary>
    /// Zone of timestamps that carry no UTC offset: <c>UTC</c>, <c>exchange</c> (the calendar's local zone)
    /// or an IANA zone id. Timestamps with an explicit offset are converted from that offset.
    /// </summary>
    public string SourceTimeZone { get; init; } = "UTC";

    /// <summary>Register symbols the store does not know yet instead of flagging them as unknown.</summary>
    public bool AddUnknownSymbols { get; init; }

    /// <summary>When the rows became known, for sources without an available_at column; default: the ingest time.</summary>
    public DateTime? KnownAt { get; init; }

    /// <summary>CSV field separator; null: detected from the header line (the most frequent of , ; tab | outside quotes).</summary>
    public char? Delimiter { get; init; }

    /// <summary>CSV decimal separator of numbers: '.' (default) or ',' (as in many European exports, with ; between fields).</summary>
    public char DecimalSeparator { get; init; } = '.';

    /// <summary>How many violations a rejection lists in its message.</summary>
    public int MaxReportedViolations { get; init; } = 20;
}
