namespace QuantPipeline.Core.Data;

/// <summary>One OHLCV bar of one symbol. Timestamp is the bar's session date (daily) or its UTC end time (intraday).</summary>
public readonly record struct Bar(string Symbol, DateTime Timestamp, double Open, double High, double Low, double Close, double Volume);
