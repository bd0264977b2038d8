namespace QuantPipeline.Cli.Commands;

/// <summary>How big a demo runs: symbols, years of daily history and monthly retrains at its end.</summary>
public sealed record DemoSize(int Symbols, int Years, int Retrains);
