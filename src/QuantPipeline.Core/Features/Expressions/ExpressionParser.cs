namespace QuantPipeline.Core.Features.Expressions;

/// <summary>
/// Recursive-descent parser. Precedence from loosest to tightest: <c>||</c>, <c>&amp;&amp;</c>, comparisons,
/// <c>+ -</c>, <c>* /</c>, unary <c>- !</c>, then fields, numbers, calls and parentheses.
/// Function names, argument counts and literal arguments (windows, quantiles) are checked here, where columns are known.
/// </summary>
public sealed class ExpressionParser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _position;

    private ExpressionParser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    public static SyntaxNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ExpressionParser(text);
        if (parser.Current.Kind == TokenKind.End)
        {
            throw new ExpressionSyntaxException(text, 1, "the expression is empty", "a field, a number or a function call");
        }

        var node = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
        {
            var expected = parser.Current.Kind == TokenKind.RightParen ? "no ')' here (parentheses are unbalanced)" : "an operator or the end of the expression";
            throw new ExpressionSyntaxException(text, parser.Current.Column, $"unexpected {parser.Current.Display}", expected);
        }

        return node;
    }

    private Token Current => _tokens[_position];

    private Token Advance() => _tokens[_position++];

    private SyntaxNode ParseOr() => ParseLeftAssociative(ParseAnd, TokenKind.OrOr);

    private SyntaxNode ParseAnd() => ParseLeftAssociative(ParseComparison, TokenKind.AndAnd);

    private SyntaxNode ParseComparison() => ParseLeftAssociative(
        ParseAdditive, TokenKind.Greater, TokenKind.Less, TokenKind.GreaterEqual, TokenKind.LessEqual, TokenKind.EqualEqual, TokenKind.NotEqual);

    private SyntaxNode ParseAdditive() => ParseLeftAssociative(ParseMultiplicative, TokenKind.Plus, TokenKind.Minus);

    private SyntaxNode ParseMultiplicative() => ParseLeftAssociative(ParseUnary, TokenKind.Star, TokenKind.Slash);

    private SyntaxNode ParseLeftAssociative(Func<SyntaxNode> operand, params TokenKind[] operators)
    {
        var left = operand();
        while (Array.IndexOf(operators, Current.Kind) >= 0)
        {
            var op = Advance();
            var right = operand();
            left = new BinaryNode(op.Kind, left, right, op.Column);
        }

        return left;
    }

    private SyntaxNode ParseUnary()
    {
        if (Current.Kind is TokenKind.Minus or TokenKind.Bang)
        {
            var op = Advance();
            var operand = ParseUnary();
            return op.Kind == TokenKind.Minus && operand is NumberNode number
                ? new NumberNode(-number.Value, op.Column)
                : new UnaryNode(op.Kind, operand, op.Column);
        }

        if (Current.Kind == TokenKind.Plus)
        {
            Advance();
            return ParseUnary();
        }

        return ParsePrimary();
    }

    private SyntaxNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Field:
                Advance();
                return new FieldNode(token.Text, token.Column);
            case TokenKind.Number:
                Advance();
                return new NumberNode(token.Number, token.Column);
            case TokenKind.LeftParen:
                {
                    Advance();
                    var inner = ParseOr();
                    Expect(TokenKind.RightParen, $"to close the '(' at column {token.Column}");
                    return inner;
                }

            case TokenKind.Identifier:
                return ParseCall();
            default:
                throw new ExpressionSyntaxException(
                    _text, token.Column, $"unexpected {token.Display}", "a field such as $close, a number, a function call or '('");
        }
    }

    private CallNode ParseCall()
    {
        var name = Advance();
        if (!FunctionCatalog.TryGet(name.Text, out var signature))
        {
            var problem = Current.Kind == TokenKind.LeftParen
                ? $"unknown function '{name.Text}'"
                : $"unknown name '{name.Text}' (fields start with '$', e.g. ${name.Text.ToLowerInvariant()})";
            throw new ExpressionSyntaxException(_text, name.Column, problem, "a known function", FunctionCatalog.Nearest(name.Text));
        }

        Expect(TokenKind.LeftParen, $"after the function name {name.Text}");
        var arguments = new List<SyntaxNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseOr());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseOr());
            }
        }

        var close = Current;
        if (close.Kind != TokenKind.RightParen)
        {
            var expected = arguments.Count < signature.Parameters.Count ? "',' or ')'" : "')'";
            throw new ExpressionSyntaxException(_text, close.Column, $"unexpected {close.Display} in the arguments of {name.Text}", expected);
        }

        Advance();
        if (arguments.Count != signature.Parameters.Count)
        {
            throw new ExpressionSyntaxException(
                _text,
                name.Column,
                $"{name.Text} takes {signature.Parameters.Count} argument(s) but was given {arguments.Count}",
                signature.Usage);
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            CheckLiteral(name.Text, signature, i, arguments[i]);
        }

        return new CallNode(name.Text, arguments, name.Column);
    }

    private void CheckLiteral(string function, FunctionSignature signature, int index, SyntaxNode argument)
    {
        var kind = signature.Parameters[index];
        if (kind == ParameterKind.Series)
        {
            return;
        }

        var position = $"argument {index + 1} of {function}";
        if (argument is not NumberNode number)
        {
            throw new ExpressionSyntaxException(_text, argument.Column, $"{position} must be a number literal", signature.Usage);
        }

        var whole = number.Value == Math.Floor(number.Value) && Math.Abs(number.Value) < int.MaxValue;
        switch (kind)
        {
            case ParameterKind.Window when !whole || number.Value < 1:
                throw new ExpressionSyntaxException(_text, argument.Column, $"{position} is a window of bars and must be a whole number ≥ 1, got {number.ToCanonical()}", signature.Usage);
            case ParameterKind.Periods when !whole:
                throw new ExpressionSyntaxException(_text, argument.Column, $"{position} is a number of bars and must be whole, got {number.ToCanonical()}", signature.Usage);
            case ParameterKind.Number when function == "Quantile" && (number.Value < 0 || number.Value > 1):
                throw new ExpressionSyntaxException(_text, argument.Column, $"{position} is a quantile and must be in [0, 1], got {number.ToCanonical()}", signature.Usage);
            case ParameterKind.Number when function == "EMAHL" && number.Value <= 0:
                throw new ExpressionSyntaxException(_text, argument.Column, $"{position} is a half-life and must be > 0, got {number.ToCanonical()}", signature.Usage);
        }
    }

    private void Expect(TokenKind kind, string context)
    {
        if (Current.Kind != kind)
        {
            throw new ExpressionSyntaxException(_text, Current.Column, $"unexpected {Current.Display}", $"{Token.Describe(kind)} {context}");
        }

        Advance();
    }
}
