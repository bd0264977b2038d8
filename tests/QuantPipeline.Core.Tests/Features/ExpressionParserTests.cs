using QuantPipeline.Core.Features.Expressions;

namespace QuantPipeline.Core.Tests.Features;

public class ExpressionParserTests
{
    [Theory]
    [InlineData("$close+$open*2", "($close + ($open * 2))")]
    [InlineData("($close+$open)*2", "(($close + $open) * 2)")]
    [InlineData("$a-$b-$c", "(($a - $b) - $c)")]
    [InlineData("$a/$b/$c", "(($a / $b) / $c)")]
    [InlineData("$a > $b + 1 && $c <= 2 || !$d", "((($a > ($b + 1)) && ($c <= 2)) || !($d))")]
    [InlineData("$a & $b | $c", "(($a && $b) || $c)")]
    [InlineData("-$close", "-($close)")]
    [InlineData("Ref($close, -2)", "Ref($close, -2)")]
    [InlineData("  Mean( $close ,5 ) / $close", "(Mean($close, 5) / $close)")]
    [InlineData("1e-12 + .5", "(1E-12 + 0.5)")]
    [InlineData("If($close == $open, 1, 0)", "If(($close == $open), 1, 0)")]
    public void Parses_with_the_usual_precedence(string text, string canonical) =>
        Assert.Equal(canonical, ExpressionParser.Parse(text).ToCanonical());

    [Fact]
    public void Unknown_function_names_the_column_and_suggests_the_nearest()
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse("$close / Maen($close, 5)"));
        Assert.Equal(10, e.Column);
        Assert.Equal("Mean", e.Suggestion);
        Assert.Contains("unknown function 'Maen'", e.Message);
        Assert.Contains("Did you mean 'Mean'?", e.Message);

        Assert.Equal("Rsquare", Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse("rsquare($close, 5)")).Suggestion);
        Assert.Equal("IdxMax", Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse("IdMax($high, 5)")).Suggestion);
    }

    [Theory]
    [InlineData("Mean($close", 12, "',' or ')'")]
    [InlineData("Mean($close, 5", 15, "')'")]
    [InlineData("($close + 1", 12, "')' to close the '(' at column 1")]
    [InlineData("$close +", 9, "a field such as $close, a number, a function call or '('")]
    [InlineData("$close $open", 8, "an operator or the end of the expression")]
    [InlineData("Mean($close, 5))", 16, "no ')' here")]
    [InlineData("$close = 1", 8, "'==' to compare")]
    [InlineData("Mean $close", 6, "'(' after the function name Mean")]
    [InlineData("$ + 1", 1, "a field such as $close")]
    [InlineData("", 1, "a field, a number or a function call")]
    public void Syntax_errors_say_where_and_what_was_expected(string text, int column, string expected)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(expected, e.Expected);
        Assert.Contains($"column {column}", e.Message);
    }

    [Theory]
    [InlineData("Mean($close)", 1, "Mean takes 2 argument(s) but was given 1")]
    [InlineData("Mean($close, 2.5)", 14, "whole number ≥ 1")]
    [InlineData("Mean($close, 0)", 14, "whole number ≥ 1")]
    [InlineData("Mean($close, $open)", 14, "must be a number literal")]
    [InlineData("Quantile($close, 5, 1.5)", 21, "must be in [0, 1]")]
    [InlineData("Ref($close, 1.5)", 13, "must be whole")]
    public void Argument_errors_point_at_the_argument(string text, int column, string problem)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void A_bare_name_is_explained_as_a_missing_dollar()
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => ExpressionParser.Parse("close / 2"));
        Assert.Contains("fields start with '$'", e.Message);
    }
}
