namespace Sluice.Core.Templating;

/// <summary>
/// Parses Jinja expressions with Jinja's precedence, loosest first: <c>x if c else y</c>,
/// <c>or</c>, <c>and</c>, <c>not</c>, comparisons and <c>in</c>, <c>+ -</c>, <c>~</c>,
/// <c>* / // %</c>, unary <c>- +</c>, then filters, tests, attributes, indexes and calls.
/// </summary>
public sealed class ExpressionParser(TemplateSource source, List<Token> tokens)
{
    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", "<=", ">", ">="];
    private int _next;

    /// <summary>The token about to be read.</summary>
    public Token Current => tokens[_next];

    /// <summary>True when every token has been read.</summary>
    public bool AtEnd => Current.Kind == TokenKind.End;

    /// <summary>Reads one expression.</summary>
    public Expression Parse() => ParseConditional();

    /// <summary>Reads one expression, or several separated by commas as a list (<c>set a, b = 1, 2</c>).</summary>
    public Expression ParseTuple() => CommaList(Parse);

    /// <summary>What a for loop iterates: a tuple without a trailing <c>if</c>, which Jinja reserves for loop filters.</summary>
    public Expression ParseIterable() => CommaList(ParseOr);

    /// <summary>An expression without a trailing <c>if … else</c>, as a loop's filter.</summary>
    public Expression ParseOrExpression() => ParseOr();

    /// <summary>Reads a name, or fails naming <paramref name="what"/>.</summary>
    public string ExpectName(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw source.Error(token.Offset, $"expected {what}, found '{token.Text}'");
        }

        _next++;
        return token.Text;
    }

    /// <summary>Reads the symbol or keyword <paramref name="text"/>, or fails.</summary>
    public void Expect(string text)
    {
        if (!Accept(text))
        {
            throw source.Error(Current.Offset, $"expected '{text}', found '{Current.Text}'");
        }
    }

    /// <summary>Reads the symbol or keyword <paramref name="text"/> when it is next.</summary>
    public bool Accept(string text)
    {
        if (!Current.Is(text))
        {
            return false;
        }

        _next++;
        return true;
    }

    /// <summary>Fails unless every token has been read.</summary>
    public void ExpectEnd(string construct)
    {
        if (!AtEnd)
        {
            throw source.Error(Current.Offset, $"unexpected '{Current.Text}' in {construct}");
        }
    }

    private Expression CommaList(Func<Expression> item)
    {
        var first = item();
        if (!Current.Is(","))
        {
            return first;
        }

        var items = new List<Expression> { first };
        while (Accept(","))
        {
            items.Add(item());
        }

        return new ListExpression(first.Offset, items);
    }

    private Expression ParseConditional()
    {
        var value = ParseOr();
        while (Current.Is("if"))
        {
            var offset = Current.Offset;
            _next++;
            var condition = ParseOr();
            var otherwise = Accept("else") ? ParseConditional() : null;
            value = new ConditionalExpression(offset, condition, value, otherwise);
        }

        return value;
    }

    private Expression ParseOr() => ParseBinary(ParseAnd, "or");

    private Expression ParseAnd() => ParseBinary(ParseNot, "and");

    private Expression ParseNot()
    {
        if (Current.Is("not"))
        {
            var offset = Current.Offset;
            _next++;
            return new UnaryExpression(offset, "not", ParseNot());
        }

        return ParseComparison();
    }

    private Expression ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            var token = Current;
            if (token.Kind == TokenKind.Symbol && Comparisons.Contains(token.Text))
            {
                _next++;
                left = new BinaryExpression(token.Offset, token.Text, left, ParseAdditive());
            }
            else if (token.Is("in"))
            {
                _next++;
                left = new BinaryExpression(token.Offset, "in", left, ParseAdditive());
            }
            else if (token.Is("not") && tokens[_next + 1].Is("in"))
            {
                _next += 2;
                left = new BinaryExpression(token.Offset, "not in", left, ParseAdditive());
            }
            else
            {
                return left;
            }
        }
    }

    private Expression ParseAdditive() => ParseBinary(ParseConcat, "+", "-");

    private Expression ParseConcat() => ParseBinary(ParseMultiplicative, "~");

    private Expression ParseMultiplicative() => ParseBinary(ParseUnary, "*", "/", "//", "%");

    private Expression ParsePower() => ParseBinary(() => ParseFilters(ParsePostfix(ParsePrimary())), "**");

    private Expression ParseBinary(Func<Expression> operand, params string[] operators)
    {
        var left = operand();
        while (operators.FirstOrDefault(Current.Is) is { } op)
        {
            var offset = Current.Offset;
            _next++;
            left = new BinaryExpression(offset, op, left, operand());
        }

        return left;
    }

    private Expression ParseUnary()
    {
        if (Current.Is("-") || Current.Is("+"))
        {
            var token = Current;
            _next++;
            return new UnaryExpression(token.Offset, token.Text, ParseUnary());
        }

        return ParsePower();
    }

    private Expression ParseFilters(Expression value)
    {
        while (true)
        {
            if (Current.Is("|"))
            {
                _next++;
                var offset = Current.Offset;
                var name = ExpectName("a filter name after '|'");
                var arguments = Current.Is("(") ? ParseArguments() : TemplateArguments.None;
                value = ParsePostfix(new FilterExpression(offset, value, name, arguments));
            }
            else if (Current.Is("is"))
            {
                var offset = Current.Offset;
                _next++;
                var negated = Accept("not");
                var name = Current.Is("none") || Current.Is("None") ? Current.Text.ToLowerInvariant() : ExpectName("a test name after 'is'");
                if (name == "none")
                {
                    _next++;
                }

                value = new TestExpression(offset, value, name, negated, TestArgument());
            }
            else
            {
                return value;
            }
        }
    }

    // A test's one argument: in parentheses, or a single value after the name (`is divisibleby 3`).
    private Expression? TestArgument()
    {
        if (Current.Is("("))
        {
            _next++;
            var argument = Parse();
            Expect(")");
            return argument;
        }

        var startsValue = Current.Kind is TokenKind.String or TokenKind.Number || Current.Is("[") || Current.Is("{")
            || (Current.Kind == TokenKind.Name && Current.Text is not ("and" or "or" or "if" or "else" or "not" or "in" or "is"));
        return startsValue ? ParsePostfix(ParsePrimary()) : null;
    }

    private Expression ParsePostfix(Expression value)
    {
        while (true)
        {
            var token = Current;
            if (token.Is("."))
            {
                _next++;
                value = new AttributeExpression(token.Offset, value, ExpectName("an attribute name after '.'"));
            }
            else if (token.Is("["))
            {
                _next++;
                var start = Current.Is(":") ? null : Parse();
                if (Accept(":"))
                {
                    var stop = Current.Is(":") || Current.Is("]") ? null : Parse();
                    var step = Accept(":") && !Current.Is("]") ? Parse() : null;
                    Expect("]");
                    value = new SliceExpression(token.Offset, value, start, stop, step);
                }
                else
                {
                    Expect("]");
                    value = new IndexExpression(token.Offset, value, start!);
                }
            }
            else if (token.Is("("))
            {
                // A call is located where its callee starts: errors point at `ref`, not at `(`.
                value = new CallExpression(Start(value), value, ParseArguments());
            }
            else
            {
                return value;
            }
        }
    }

    // Where a callee's text starts: `dbt_utils` of dbt_utils.star, not the dot.
    private static int Start(Expression callee) => callee switch
    {
        AttributeExpression attribute => Start(attribute.Target),
        _ => callee.Offset,
    };

    private TemplateArguments ParseArguments()
    {
        Expect("(");
        var positional = new List<Expression>();
        var named = new List<(string, Expression)>();
        Expression? spread = null;
        Expression? namedSpread = null;
        while (!Accept(")"))
        {
            if (Accept("**"))
            {
                namedSpread = Parse();
            }
            else if (Accept("*"))
            {
                spread = Parse();
            }
            else if (Current.Kind == TokenKind.Name && tokens[_next + 1].Is("="))
            {
                var name = Current.Text;
                _next += 2;
                named.Add((name, Parse()));
            }
            else if (named.Count > 0)
            {
                throw source.Error(Current.Offset, "a positional argument cannot follow a named one");
            }
            else
            {
                positional.Add(Parse());
            }

            if (!Current.Is(")"))
            {
                Expect(",");
            }
        }

        return new TemplateArguments(positional, named, spread, namedSpread);
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                _next++;
                var text = (string)token.Value!;

                // Adjacent strings join, as in Python: 'a' 'b' is 'ab'.
                while (Current.Kind == TokenKind.String)
                {
                    text += (string)Current.Value!;
                    _next++;
                }

                return new LiteralExpression(token.Offset, text);
            case TokenKind.Number:
                _next++;
                return new LiteralExpression(token.Offset, token.Value);
            case TokenKind.Name:
                _next++;
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpression(token.Offset, true),
                    "false" or "False" => new LiteralExpression(token.Offset, false),
                    "none" or "None" => new LiteralExpression(token.Offset, null),
                    _ => new NameExpression(token.Offset, token.Text),
                };
        }

        if (Accept("("))
        {
            if (Accept(")"))
            {
                return new ListExpression(token.Offset, []);
            }

            var inner = ParseTuple();
            Expect(")");
            return inner;
        }

        if (Accept("["))
        {
            var items = new List<Expression>();
            while (!Accept("]"))
            {
                items.Add(Parse());
                if (!Current.Is("]"))
                {
                    Expect(",");
                }
            }

            return new ListExpression(token.Offset, items);
        }

        if (Accept("{"))
        {
            var entries = new List<(Expression, Expression)>();
            while (!Accept("}"))
            {
                var key = Parse();
                Expect(":");
                entries.Add((key, Parse()));
                if (!Current.Is("}"))
                {
                    Expect(",");
                }
            }

            return new DictExpression(token.Offset, entries);
        }

        throw source.Error(token.Offset, token.Kind == TokenKind.End ? "an expression is missing" : $"unexpected '{token.Text}' in an expression");
    }
}
