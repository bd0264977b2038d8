namespace QuantPipeline.Orchestrator.Config;

/// <summary>One problem with a configuration and where it comes from.</summary>
/// <param name="Where">The file with line and column, the environment variable or the --set override; null for a value set in code.</param>
/// <param name="Message">What is wrong and what would be right.</param>
public sealed record ConfigProblem(string? Where, string Message)
{
    public override string ToString() => Where is null ? Message : $"{Where}: {Message}";
}
