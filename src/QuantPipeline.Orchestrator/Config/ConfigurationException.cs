namespace QuantPipeline.Orchestrator.Config;

/// <summary>
/// A configuration that cannot be used, with every problem found (not only the first). An <see cref="ArgumentException"/>
/// so that callers handling bad arguments handle it too; the CLI exits with code 2 for it.
/// </summary>
public sealed class ConfigurationException : ArgumentException
{
    public ConfigurationException(IReadOnlyList<ConfigProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<ConfigProblem> Problems { get; }

    internal static string Describe(IReadOnlyList<ConfigProblem> problems) =>
        problems.Count == 1
            ? $"Invalid pipeline configuration: {problems[0].ToString().TrimEnd('.')}."
            : $"Invalid pipeline configuration ({problems.Count} problems):" + string.Concat(problems.Select(p => $"{Environment.NewLine}  - {p}"));
}
