using System.Globalization;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>The parsed form of an expression. <see cref="Column"/> (1-based) points back into the source for errors.</summary>
public abstract record SyntaxNode(int Column)
{
    /// <summary>Canonical text: fixed spacing, full parentheses, round-trip numbers. Equal meaning gives equal text.</summary>
    public abstract string ToCanonical();

    public sealed override string ToString() => ToCanonical();
}

public sealed record FieldNode(string Name, int Column) : SyntaxNode(Column)
{
    public override string ToCanonical() => "$" + Name;
}

public sealed record NumberNode(double Value, int Column) : SyntaxNode(Column)
{
    public override string ToCanonical() => Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed record UnaryNode(TokenKind Operator, SyntaxNode Operand, int Column) : SyntaxNode(Column)
{
    public override string ToCanonical() => (Operator == TokenKind.Minus ? "-" : "!") + "(" + Operand.ToCanonical() + ")";
}

public sealed record BinaryNode(TokenKind Operator, SyntaxNode Left, SyntaxNode Right, int Column) : SyntaxNode(Column)
{
    public override string ToCanonical() => "(" + Left.ToCanonical() + " " + Symbol(Operator) + " " + Right.ToCanonical() + ")";

    internal static string Symbol(TokenKind kind) => kind switch
    {
        TokenKind.Plus => "+",
        TokenKind.Minus => "-",
        TokenKind.Star => "*",
        TokenKind.Slash => "/",
        TokenKind.Greater => ">",
        TokenKind.Less => "<",
        TokenKind.GreaterEqual => ">=",
        TokenKind.LessEqual => "<=",
        TokenKind.EqualEqual => "==",
        TokenKind.NotEqual => "!=",
        TokenKind.AndAnd => "&&",
        TokenKind.OrOr => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a binary operator"),
    };
}

public sealed record CallNode(string Function, IReadOnlyList<SyntaxNode> Arguments, int Column) : SyntaxNode(Column)
{
    public override string ToCanonical() => Function + "(" + string.Join(", ", Arguments.Select(a => a.ToCanonical())) + ")";
}
