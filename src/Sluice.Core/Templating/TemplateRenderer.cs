using System.Text;

namespace Sluice.Core.Templating;

/// <summary>
/// Renders parsed template nodes against global values and functions. Names nothing defines are
/// errors when used (they may still be tested with <c>is defined</c> or given a <c>default</c>):
/// a model must never compile to SQL with a silent hole in it.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly TemplateSource _source;
    private readonly List<Dictionary<string, object?>> _scopes;

    private TemplateRenderer(TemplateSource source, IReadOnlyDictionary<string, object?> globals)
    {
        _source = source;
        _scopes = [new Dictionary<string, object?>(globals, StringComparer.Ordinal), new Dictionary<string, object?>(StringComparer.Ordinal)];
    }

    /// <summary>Parses and renders <paramref name="source"/>.</summary>
    public static string Render(TemplateSource source, IReadOnlyDictionary<string, object?> globals) =>
        Render(source, TemplateParser.Parse(source), globals);

    /// <summary>Renders nodes parsed from <paramref name="source"/>.</summary>
    public static string Render(TemplateSource source, IReadOnlyList<TemplateNode> nodes, IReadOnlyDictionary<string, object?> globals)
    {
        var output = new StringBuilder();
        new TemplateRenderer(source, globals).Write(nodes, output, null);
        return output.ToString();
    }

    /// <summary>Renders nodes parsed from <paramref name="source"/>, mapping each stretch of the output to where it came from.</summary>
    public static RenderedText RenderMapped(TemplateSource source, IReadOnlyList<TemplateNode> nodes, IReadOnlyDictionary<string, object?> globals)
    {
        var output = new StringBuilder();
        var spans = new List<SourceSpan>();
        new TemplateRenderer(source, globals).Write(nodes, output, spans);
        return new RenderedText(output.ToString(), new SourceMap(spans));
    }

    // Text is copied character for character, so its map is exact; what an expression renders
    // maps as a whole to the expression.
    private void Write(IReadOnlyList<TemplateNode> nodes, StringBuilder output, List<SourceSpan>? spans)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    spans?.Add(new SourceSpan(output.Length, text.Text.Length, _source, text.Offset, Copied: true));
                    output.Append(text.Text);
                    break;
                case OutputNode value:
                    var rendered = TemplateValues.Render(Defined(Evaluate(value.Value)));
                    spans?.Add(new SourceSpan(output.Length, rendered.Length, _source, value.Offset, Copied: false));
                    output.Append(rendered);
                    break;
                case IfNode branch:
                    var taken = branch.Branches.FirstOrDefault(b => TemplateValues.IsTrue(Evaluate(b.Condition)));
                    Write(taken.Body ?? branch.Else, output, spans);
                    break;
                case ForNode loop:
                    WriteLoop(loop, output, spans);
                    break;
                case SetNode set:
                    Assign(set.Targets, Evaluate(set.Value), set.Offset);
                    break;
                case SetBlockNode block:
                    // The captured text reaches the output only through an expression, which maps it.
                    var captured = new StringBuilder();
                    Write(block.Body, captured, null);
                    _scopes[^1][block.Target] = captured.ToString();
                    break;
            }
        }
    }

    private void WriteLoop(ForNode loop, StringBuilder output, List<SourceSpan>? spans)
    {
        var items = Defined(Evaluate(loop.Items)) switch
        {
            IReadOnlyDictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
            IReadOnlyList<object?> list => list,
            string text => text.Select(c => (object?)c.ToString()).ToList(),
            var other => throw _source.Error(loop.Items.Offset, $"cannot loop over {TemplateValues.TypeName(other)}"),
        };

        if (items.Count == 0)
        {
            Write(loop.Else, output, spans);
            return;
        }

        // Variables set inside a loop body stay inside it, as in Jinja.
        var state = new LoopState(items.Count);
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        _scopes.Add(scope);
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                scope.Clear();
                state.Index0 = i;
                scope["loop"] = state;
                Assign(loop.Targets, items[i], loop.Offset);
                Write(loop.Body, output, spans);
            }
        }
        finally
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }
    }

    private void Assign(IReadOnlyList<string> targets, object? value, int offset)
    {
        if (targets.Count == 1)
        {
            _scopes[^1][targets[0]] = value;
            return;
        }

        if (value is not IReadOnlyList<object?> values || values.Count != targets.Count)
        {
            throw _source.Error(offset, $"cannot unpack {TemplateValues.Repr(value)} into {targets.Count} names ({string.Join(", ", targets)})");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            _scopes[^1][targets[i]] = values[i];
        }
    }

    private object? Lookup(string name, int offset)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return new Undefined($"'{name}'", offset);
    }

    private object? Defined(object? value) => value is Undefined undefined
        ? throw _source.Error(undefined.Offset, $"{undefined.Description} is undefined — define it with '{{% set %}}', pass it as a var, or guard it with 'is defined' or '| default(…)'")
        : value;

    private object? Evaluate(Expression expression)
    {
        switch (expression)
        {
            case LiteralExpression literal:
                return literal.Value;
            case NameExpression name:
                return Lookup(name.Name, name.Offset);
            case ListExpression list:
                return list.Items.Select(item => Defined(Evaluate(item))).ToList();
            case DictExpression dict:
                var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in dict.Entries)
                {
                    entries[Defined(Evaluate(key)) as string ?? throw _source.Error(key.Offset, "dict keys must be strings")] = Defined(Evaluate(value));
                }

                return entries;
            case AttributeExpression attribute:
                return TemplateMembers.Attribute(Defined(Evaluate(attribute.Target)), attribute.Name, _source, attribute.Offset);
            case IndexExpression index:
                return TemplateMembers.Index(Defined(Evaluate(index.Target)), Defined(Evaluate(index.Index)), _source, index.Offset);
            case CallExpression call:
                return Call(call);
            case FilterExpression filter:
                var target = Evaluate(filter.Target);
                var (positional, named) = Arguments(filter.Arguments);
                return TemplateFilters.Apply(new TemplateCall(filter.Name, positional, named, _source, filter.Offset), target, Defined);
            case TestExpression test:
                return TemplateFilters.Test(test.Name, Evaluate(test.Target), _source, test.Offset) != test.Negated;
            case UnaryExpression unary:
                var operand = Evaluate(unary.Operand);
                return unary.Operator switch
                {
                    "not" => !TemplateValues.IsTrue(operand),
                    "-" => TemplateOperators.Negate(Defined(operand), _source, unary.Offset),
                    _ => TemplateOperators.Plus(Defined(operand), _source, unary.Offset),
                };
            case BinaryExpression binary when binary.Operator is "and" or "or":
                var left = Evaluate(binary.Left);
                return TemplateValues.IsTrue(left) == (binary.Operator == "and") ? Evaluate(binary.Right) : left;
            case BinaryExpression binary:
                return TemplateOperators.Apply(binary.Operator, Defined(Evaluate(binary.Left)), Defined(Evaluate(binary.Right)), _source, binary.Offset);
            case ConditionalExpression conditional:
                return TemplateValues.IsTrue(Evaluate(conditional.Condition))
                    ? Evaluate(conditional.Then)
                    : conditional.Otherwise is null ? "" : Evaluate(conditional.Otherwise);
            default:
                throw _source.Error(expression.Offset, "unsupported expression");
        }
    }

    private object? Call(CallExpression call)
    {
        var (positional, named) = Arguments(call.Arguments);

        // A method on a value (name.lower(), dict.items()) or a function from the globals.
        if (call.Callee is AttributeExpression method)
        {
            var target = Defined(Evaluate(method.Target));
            if (TemplateMembers.Attribute(target, method.Name, _source, method.Offset, allowMissing: true) is TemplateFunction bound)
            {
                return bound(new TemplateCall(method.Name, positional, named, _source, call.Offset));
            }

            return TemplateMembers.CallMethod(target, method.Name, positional, _source, method.Offset);
        }

        var callee = Evaluate(call.Callee);
        var name = call.Callee is NameExpression n ? n.Name : "the value";
        return callee switch
        {
            TemplateFunction function => function(new TemplateCall(name, positional, named, _source, call.Offset)),
            Undefined => throw _source.Error(call.Offset, $"unknown function '{name}'"),
            _ => throw _source.Error(call.Offset, $"'{name}' is {TemplateValues.TypeName(callee)}, not a function"),
        };
    }

    private (List<object?> Positional, Dictionary<string, object?> Named) Arguments(TemplateArguments arguments)
    {
        var positional = arguments.Positional.Select(a => Defined(Evaluate(a))).ToList();
        var named = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.Named)
        {
            named[name] = Defined(Evaluate(value));
        }

        return (positional, named);
    }
}
