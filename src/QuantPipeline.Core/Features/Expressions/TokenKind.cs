namespace QuantPipeline.Core.Features.Expressions;

public enum TokenKind
{
    Field,
    Number,
    Identifier,
    LeftParen,
    RightParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    EqualEqual,
    NotEqual,
    AndAnd,
    OrOr,
    Bang,
    End,
}
