namespace QuantPipeline.Core.Features.Expressions;

/// <summary>One lexical token; <see cref="Column"/> is 1-based in the expression text.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Column, double Number = 0)
{
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Field => "a field such as $close",
        TokenKind.Number => "a number",
        TokenKind.Identifier => "a function name",
        TokenKind.LeftParen => "'('",
        TokenKind.RightParen => "')'",
        TokenKind.Comma => "','",
        TokenKind.Plus => "'+'",
        TokenKind.Minus => "'-'",
        TokenKind.Star => "'*'",
        TokenKind.Slash => "'/'",
        TokenKind.Greater => "'>'",
        TokenKind.Less => "'<'",
        TokenKind.GreaterEqual => "'>='",
        TokenKind.LessEqual => "'<='",
        TokenKind.EqualEqual => "'=='",
        TokenKind.NotEqual => "'!='",
        TokenKind.AndAnd => "'&&'",
        TokenKind.OrOr => "'||'",
        TokenKind.Bang => "'!'",
        TokenKind.End => "the end of the expression",
        _ => kind.ToString(),
    };

    public string Display => Kind == TokenKind.End ? "the end of the expression" : $"'{Text}'";
}
