namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// An expression that cannot be parsed or compiled. The message names the column (1-based), what was found,
/// what was expected and, for an unknown function, the nearest known one.
/// </summary>
public sealed class ExpressionSyntaxException : FormatException
{
    public ExpressionSyntaxException(string expression, int column, string problem, string? expected = null, string? suggestion = null, string? feature = null)
        : base(Format(expression, column, problem, expected, suggestion, feature))
    {
        Expression = expression;
        Column = column;
        Problem = problem;
        Expected = expected;
        Suggestion = suggestion;
        Feature = feature;
    }

    /// <summary>The feature (name in its set) the expression belongs to, when known.</summary>
    public string? Feature { get; }

    public ExpressionSyntaxException ForFeature(string feature) => new(Expression, Column, Problem, Expected, Suggestion, feature);

    public string Expression { get; }

    public int Column { get; }

    public string Problem { get; }

    public string? Expected { get; }

    public string? Suggestion { get; }

    private static string Format(string expression, int column, string problem, string? expected, string? suggestion, string? feature)
    {
        var message = (feature is null ? string.Empty : $"feature '{feature}', ") + $"column {column}: {problem}";
        if (expected is not null)
        {
            message += $"; expected {expected}";
        }

        if (suggestion is not null)
        {
            message += $". Did you mean '{suggestion}'?";
        }

        var caret = new string(' ', Math.Max(0, column - 1)) + "^";
        return $"{message}\n  {expression}\n  {caret}";
    }
}
