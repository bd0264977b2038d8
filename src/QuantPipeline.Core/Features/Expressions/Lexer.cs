using System.Globalization;

namespace QuantPipeline.Core.Features.Expressions;

/// <summary>Splits an expression into tokens. Qlib's single '&amp;' and '|' are accepted as '&amp;&amp;' and '||'.</summary>
public static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '$')
            {
                var start = ++i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                if (i == start)
                {
                    throw new ExpressionSyntaxException(text, column, "'$' is not followed by a field name", "a field such as $close");
                }

                tokens.Add(new Token(TokenKind.Field, text[start..i], column));
                continue;
            }

            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    var exponent = i + 1;
                    if (exponent < text.Length && (text[exponent] == '+' || text[exponent] == '-'))
                    {
                        exponent++;
                    }

                    if (exponent < text.Length && char.IsDigit(text[exponent]))
                    {
                        i = exponent;
                        while (i < text.Length && char.IsDigit(text[i]))
                        {
                            i++;
                        }
                    }
                }

                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new ExpressionSyntaxException(text, column, $"'{literal}' is not a valid number", "a number such as 20 or 1e-12");
                }

                tokens.Add(new Token(TokenKind.Number, literal, column, value));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], column));
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind kind, int length) = (c, next) switch
            {
                ('(', _) => (TokenKind.LeftParen, 1),
                (')', _) => (TokenKind.RightParen, 1),
                (',', _) => (TokenKind.Comma, 1),
                ('+', _) => (TokenKind.Plus, 1),
                ('-', _) => (TokenKind.Minus, 1),
                ('*', _) => (TokenKind.Star, 1),
                ('/', _) => (TokenKind.Slash, 1),
                ('>', '=') => (TokenKind.GreaterEqual, 2),
                ('>', _) => (TokenKind.Greater, 1),
                ('<', '=') => (TokenKind.LessEqual, 2),
                ('<', _) => (TokenKind.Less, 1),
                ('=', '=') => (TokenKind.EqualEqual, 2),
                ('!', '=') => (TokenKind.NotEqual, 2),
                ('!', _) => (TokenKind.Bang, 1),
                ('&', '&') => (TokenKind.AndAnd, 2),
                ('&', _) => (TokenKind.AndAnd, 1),
                ('|', '|') => (TokenKind.OrOr, 2),
                ('|', _) => (TokenKind.OrOr, 1),
                _ => (TokenKind.End, 0),
            };
            if (length == 0)
            {
                var hint = c == '=' ? "'==' to compare" : "an operator (+ - * / > < >= <= == != && || !), '(' , ')' or ','";
                throw new ExpressionSyntaxException(text, column, $"unexpected character '{c}'", hint);
            }

            tokens.Add(new Token(kind, text.Substring(i, length), column));
            i += length;
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length + 1));
        return tokens;
    }
}
