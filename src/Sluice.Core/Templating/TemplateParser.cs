namespace Sluice.Core.Templating;

/// <summary>
/// Turns template text into nodes: text, <c>{{ }}</c>, <c>{% if/elif/else %}</c>,
/// <c>{% for %}</c>, <c>{% set %}</c>, <c>{% macro %}</c>, <c>{% test %}</c>, <c>{% call %}</c>,
/// <c>{% do %}</c> and <c>{% raw %}</c>; <c>{# #}</c> comments are dropped. A <c>-</c> inside a
/// delimiter (<c>{%-</c>, <c>-%}</c>, <c>{{-</c>, <c>-}}</c>, <c>{#-</c>, <c>-#}</c>) removes the
/// whitespace, newlines included, on that side. Any other tag is an error naming it.
/// </summary>
public sealed class TemplateParser
{
    private const string Supported = "if, elif, else, endif, for, endfor, set, endset, macro, endmacro, test, endtest, call, endcall, do, raw, endraw";

    /// <summary>The tags templates may use, closing tags included.</summary>
    internal static IReadOnlyList<string> Tags { get; } = Supported.Split(", ");
    private readonly TemplateSource _source;
    private readonly List<Segment> _segments;
    private int _next;

    private TemplateParser(TemplateSource source)
    {
        _source = source;
        _segments = Segment.Split(source);
    }

    /// <summary>Parses a whole template.</summary>
    public static IReadOnlyList<TemplateNode> Parse(TemplateSource source)
    {
        var parser = new TemplateParser(source);
        var nodes = parser.ParseBody(out var stop);
        if (stop is not null)
        {
            throw source.Error(stop.Value.Offset, $"'{stop.Value.Name}' without a matching opening tag");
        }

        return nodes;
    }

    // Reads nodes until the end of the template or a tag that closes or divides a block, which
    // is returned in `stop` for the caller to judge.
    private List<TemplateNode> ParseBody(out (string Name, int Offset, ExpressionParser Tag)? stop)
    {
        var nodes = new List<TemplateNode>();
        stop = null;
        while (_next < _segments.Count)
        {
            var segment = _segments[_next++];
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    if (segment.Text.Length > 0)
                    {
                        nodes.Add(new TextNode(segment.Start, segment.Text));
                    }

                    break;
                case SegmentKind.Output:
                    var output = Expressions(segment);
                    var value = output.Parse();
                    output.ExpectEnd("'{{ }}'");
                    nodes.Add(new OutputNode(segment.Start, value));
                    break;
                case SegmentKind.Statement:
                    var tag = Expressions(segment);
                    var nameOffset = tag.Current.Offset;
                    var name = tag.ExpectName("a tag name after '{%'");
                    switch (name)
                    {
                        case "if":
                            nodes.Add(ParseIf(nameOffset, tag));
                            break;
                        case "for":
                            nodes.Add(ParseFor(nameOffset, tag));
                            break;
                        case "set":
                            nodes.Add(ParseSet(nameOffset, tag));
                            break;
                        case "macro" or "test":
                            nodes.Add(ParseMacro(nameOffset, tag, name));
                            break;
                        case "call":
                            nodes.Add(ParseCallBlock(nameOffset, tag));
                            break;
                        case "do":
                            var effect = tag.Parse();
                            tag.ExpectEnd("'{% do %}'");
                            nodes.Add(new DoNode(nameOffset, effect));
                            break;
                        case "materialization":
                            SkipMaterialization(nameOffset);
                            break;
                        case "elif" or "else" or "endif" or "endfor" or "endset" or "endmacro" or "endtest" or "endcall":
                            stop = (name, nameOffset, tag);
                            return nodes;
                        default:
                            throw _source.Error(nameOffset, $"unsupported tag '{{% {name} %}}' — supported tags are {Supported}");
                    }

                    break;
            }
        }

        return nodes;
    }

    // A custom materialization is dbt's code for building a relation, which Sluice does not run:
    // its block is left out unread, and a model that names it gets an error from its config.
    private void SkipMaterialization(int offset)
    {
        while (_next < _segments.Count)
        {
            var segment = _segments[_next++];
            if (segment.Kind == SegmentKind.Statement && _source.Text.AsSpan(segment.InnerStart, segment.InnerEnd - segment.InnerStart).Trim().StartsWith("endmaterialization", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw _source.Error(offset, "'{% materialization %}' is not closed: add '{% endmaterialization %}'");
    }

    private IfNode ParseIf(int offset, ExpressionParser tag)
    {
        var branches = new List<(Expression, IReadOnlyList<TemplateNode>)>();
        var condition = tag.Parse();
        tag.ExpectEnd("'{% if %}'");
        while (true)
        {
            var body = ParseBody(out var stop);
            branches.Add((condition, body));
            var (name, stopOffset, rest) = stop ?? throw _source.Error(offset, "'{% if %}' is not closed: add '{% endif %}'");
            switch (name)
            {
                case "elif":
                    condition = rest.Parse();
                    rest.ExpectEnd("'{% elif %}'");
                    continue;
                case "else":
                    rest.ExpectEnd("'{% else %}'");
                    var otherwise = ParseBody(out var end);
                    ExpectClose(end, "endif", offset, "if");
                    return new IfNode(offset, branches, otherwise);
                case "endif":
                    rest.ExpectEnd("'{% endif %}'");
                    return new IfNode(offset, branches, []);
                default:
                    throw _source.Error(stopOffset, $"'{{% {name} %}}' inside '{{% if %}}': close the if with '{{% endif %}}' first");
            }
        }
    }

    private ForNode ParseFor(int offset, ExpressionParser tag)
    {
        var targets = new List<string> { tag.ExpectName("a loop variable after 'for'") };
        while (tag.Accept(","))
        {
            targets.Add(tag.ExpectName("a loop variable after ','"));
        }

        tag.Expect("in");
        var items = tag.ParseIterable();
        var filter = tag.Accept("if") ? tag.ParseOrExpression() : null;
        if (tag.Current.Is("recursive"))
        {
            throw _source.Error(tag.Current.Offset, "recursive loops are not supported — call a macro from inside the loop instead");
        }

        tag.ExpectEnd("'{% for %}'");
        var body = ParseBody(out var stop);
        var (name, stopOffset, rest) = stop ?? throw _source.Error(offset, "'{% for %}' is not closed: add '{% endfor %}'");
        IReadOnlyList<TemplateNode> otherwise = [];
        if (name == "else")
        {
            rest.ExpectEnd("'{% else %}'");
            otherwise = ParseBody(out stop);
            ExpectClose(stop, "endfor", offset, "for");
        }
        else if (name != "endfor")
        {
            throw _source.Error(stopOffset, $"'{{% {name} %}}' inside '{{% for %}}': close the loop with '{{% endfor %}}' first");
        }

        return new ForNode(offset, targets, items, filter, body, otherwise);
    }

    private TemplateNode ParseSet(int offset, ExpressionParser tag)
    {
        var first = tag.ExpectName("a variable name after 'set'");
        if (tag.Accept("."))
        {
            var attribute = tag.ExpectName("an attribute name after '.'");
            tag.Expect("=");
            var assigned = tag.ParseTuple();
            tag.ExpectEnd("'{% set %}'");
            return new SetAttributeNode(offset, first, attribute, assigned);
        }

        var targets = new List<string> { first };
        while (tag.Accept(","))
        {
            targets.Add(tag.ExpectName("a variable name after ','"));
        }

        if (tag.AtEnd && targets.Count == 1)
        {
            var body = ParseBody(out var stop);
            ExpectClose(stop, "endset", offset, "set");
            return new SetBlockNode(offset, targets[0], body);
        }

        tag.Expect("=");
        var value = tag.ParseTuple();
        tag.ExpectEnd("'{% set %}'");
        return new SetNode(offset, targets, value);
    }

    private MacroNode ParseMacro(int offset, ExpressionParser tag, string kind)
    {
        var name = tag.ExpectName($"a name after '{kind}'");
        var parameters = tag.Current.Is("(") ? ParseParameters(tag) : kind == "macro"
            ? throw _source.Error(tag.Current.Offset, $"expected '(' after the macro's name '{name}', as {{% macro {name}() %}}")
            : [];
        tag.ExpectEnd($"'{{% {kind} %}}'");
        var body = ParseBody(out var stop);
        ExpectClose(stop, "end" + kind, offset, kind);
        return new MacroNode(offset, kind == "test" ? "test_" + name : name, parameters, body);
    }

    private CallBlockNode ParseCallBlock(int offset, ExpressionParser tag)
    {
        var parameters = tag.Current.Is("(") ? ParseParameters(tag) : [];
        var call = tag.Parse() as CallExpression
            ?? throw _source.Error(offset, "'{% call %}' needs a macro call, as {% call statement('name', fetch_result=True) %}");
        tag.ExpectEnd("'{% call %}'");
        var body = ParseBody(out var stop);
        ExpectClose(stop, "endcall", offset, "call");
        return new CallBlockNode(offset, call, parameters, body);
    }

    private static List<MacroParameter> ParseParameters(ExpressionParser tag)
    {
        tag.Expect("(");
        var parameters = new List<MacroParameter>();
        while (!tag.Accept(")"))
        {
            var name = tag.ExpectName("a parameter name");
            parameters.Add(new MacroParameter(name, tag.Accept("=") ? tag.Parse() : null));
            if (!tag.Current.Is(")"))
            {
                tag.Expect(",");
            }
        }

        return parameters;
    }

    private void ExpectClose((string Name, int Offset, ExpressionParser Tag)? stop, string close, int openOffset, string open)
    {
        if (stop is not { } found)
        {
            throw _source.Error(openOffset, $"'{{% {open} %}}' is not closed: add '{{% {close} %}}'");
        }

        if (found.Name != close)
        {
            throw _source.Error(found.Offset, $"expected '{{% {close} %}}' to close the '{{% {open} %}}' on line {_source.PositionOf(openOffset).Line}, found '{{% {found.Name} %}}'");
        }

        found.Tag.ExpectEnd($"'{{% {close} %}}'");
    }

    private ExpressionParser Expressions(Segment segment) =>
        new(_source, ExpressionTokens.Read(_source, segment.InnerStart, segment.InnerEnd));
}
