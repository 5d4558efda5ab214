using System.Text;

namespace Sluice.Core.Templating;

/// <summary>
/// Renders parsed template nodes against global values and functions. Names nothing defines are
/// errors when used (they may still be tested with <c>is defined</c> or given a <c>default</c>):
/// a model must never compile to SQL with a silent hole in it.
/// </summary>
public sealed partial class TemplateRenderer
{
    private readonly TemplateSource _source;
    private readonly TemplateEnvironment _environment;
    private readonly string? _package;
    private readonly IReadOnlyDictionary<string, object?>? _module;
    private readonly List<Dictionary<string, object?>> _scopes;
    private bool _returned;
    private object? _returnValue;

    private TemplateRenderer(TemplateSource source, TemplateEnvironment environment, string? package, Dictionary<string, object?> locals, IReadOnlyDictionary<string, object?>? module)
    {
        _source = source;
        _environment = environment;
        _package = package;
        _module = module;
        _scopes = [locals];
    }

    /// <summary>Parses and renders <paramref name="source"/>.</summary>
    public static string Render(TemplateSource source, IReadOnlyDictionary<string, object?> globals) =>
        Render(source, TemplateParser.Parse(source), globals);

    /// <summary>Renders nodes parsed from <paramref name="source"/>.</summary>
    public static string Render(TemplateSource source, IReadOnlyList<TemplateNode> nodes, IReadOnlyDictionary<string, object?> globals) =>
        Render(source, nodes, new TemplateEnvironment(globals));

    /// <summary>Renders nodes parsed from <paramref name="source"/> in <paramref name="environment"/>, whose macros they may call.</summary>
    public static string Render(TemplateSource source, IReadOnlyList<TemplateNode> nodes, TemplateEnvironment environment)
    {
        var output = new StringBuilder();
        TopLevel(source, nodes, environment).Write(nodes, output, null);
        return output.ToString();
    }

    /// <summary>Renders nodes parsed from <paramref name="source"/>, mapping each stretch of the output to where it came from.</summary>
    public static RenderedText RenderMapped(TemplateSource source, IReadOnlyList<TemplateNode> nodes, IReadOnlyDictionary<string, object?> globals) =>
        RenderMapped(source, nodes, new TemplateEnvironment(globals));

    /// <summary>As <see cref="RenderMapped(TemplateSource, IReadOnlyList{TemplateNode}, IReadOnlyDictionary{string, object?})"/>, in <paramref name="environment"/>.</summary>
    public static RenderedText RenderMapped(TemplateSource source, IReadOnlyList<TemplateNode> nodes, TemplateEnvironment environment)
    {
        var output = new StringBuilder();
        var spans = new List<SourceSpan>();
        TopLevel(source, nodes, environment).Write(nodes, output, spans);
        return new RenderedText(output.ToString(), new SourceMap(spans));
    }

    // The macros a template defines at its top level can be called anywhere in it, and by each other.
    private static TemplateRenderer TopLevel(TemplateSource source, IReadOnlyList<TemplateNode> nodes, TemplateEnvironment environment)
    {
        var module = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var macro in nodes.OfType<MacroNode>())
        {
            module[macro.Name] = new MacroValue(new MacroDefinition(macro, source, null), module);
        }

        return new TemplateRenderer(source, environment, environment.Package, module, null);
    }

    // Text is copied character for character, so its map is exact; what an expression renders
    // maps as a whole to the expression.
    private void Write(IReadOnlyList<TemplateNode> nodes, StringBuilder output, List<SourceSpan>? spans)
    {
        foreach (var node in nodes)
        {
            if (_returned)
            {
                return;
            }

            switch (node)
            {
                case TextNode text:
                    spans?.Add(new SourceSpan(output.Length, text.Text.Length, _source, text.Offset, Copied: true));
                    output.Append(text.Text);
                    break;
                case OutputNode value:
                    var outputValue = Defined(Evaluate(value.Value));
                    if (outputValue is MacroValue or TemplateFunction)
                    {
                        throw _source.Error(value.Offset, $"{Describe(value.Value)} is a {(outputValue is MacroValue ? "macro" : "function")}, not a value; call it, as {Describe(value.Value)}(…)");
                    }

                    var rendered = TemplateValues.Render(outputValue);
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
                case SetAttributeNode set:
                    var target = Defined(Lookup(set.Target, set.Offset));
                    var assigned = Evaluate(set.Value);
                    (target as TemplateNamespace ?? throw _source.Error(set.Offset, $"cannot set an attribute of {TemplateValues.TypeName(target)} '{set.Target}'; only a namespace() takes attributes")).Values[set.Attribute] = assigned;
                    break;
                case DoNode effect:
                    Evaluate(effect.Value);
                    break;
                case MacroNode macro:
                    if (_scopes[^1].GetValueOrDefault(macro.Name) is not MacroValue { Macro.Offset: var defined } || defined != macro.Offset)
                    {
                        _scopes[^1][macro.Name] = new MacroValue(new MacroDefinition(macro, _source, null), _scopes[0]);
                    }

                    break;
                case CallBlockNode block:
                    var result = Call(block.Call, CallerOf(block));
                    var written = TemplateValues.Render(result);
                    spans?.Add(new SourceSpan(output.Length, written.Length, _source, block.Offset, Copied: false));
                    output.Append(written);
                    break;
            }
        }
    }

    private static string Describe(Expression expression) => expression switch
    {
        NameExpression name => name.Name,
        AttributeExpression attribute => $"{Describe(attribute.Target)}.{attribute.Name}",
        _ => "the value",
    };

    private void WriteLoop(ForNode loop, StringBuilder output, List<SourceSpan>? spans)
    {
        var all = Defined(Evaluate(loop.Items)) switch
        {
            IReadOnlyDictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
            IReadOnlyList<object?> list => list,
            string text => text.Select(c => (object?)c.ToString()).ToList(),
            var other => throw _source.Error(loop.Items.Offset, $"cannot loop over {TemplateValues.TypeName(other)}"),
        };

        // Variables set inside a loop body stay inside it, as in Jinja.
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        _scopes.Add(scope);
        try
        {
            var items = all;
            if (loop.Filter is { } filter)
            {
                items = all.Where(item =>
                {
                    scope.Clear();
                    Assign(loop.Targets, item, loop.Offset);
                    return TemplateValues.IsTrue(Evaluate(filter));
                }).ToList();
            }

            if (items.Count == 0)
            {
                scope.Clear();
                Write(loop.Else, output, spans);
                return;
            }

            var state = new LoopState(items);
            for (var i = 0; i < items.Count && !_returned; i++)
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

    // Locals innermost first, then the defining template's macros, the package's and root
    // project's macros, the globals, and last dbt's own macros and the package namespaces.
    private object? Lookup(string name, int offset)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var value))
            {
                return value is Undefined undefined ? undefined with { Offset = offset } : value;
            }
        }

        if (_module is not null && _module.TryGetValue(name, out var defined))
        {
            return defined;
        }

        var macros = _environment.Macros;
        if (macros is not null && macros.Resolve(name, _package, MacroLookup.BeforeGlobals) is var early && early != TemplateValues.Missing)
        {
            return early;
        }

        if (_environment.Globals.TryGetValue(name, out var global))
        {
            return global;
        }

        if (macros is not null && macros.Resolve(name, _package, MacroLookup.AfterGlobals) is var late && late != TemplateValues.Missing)
        {
            return late;
        }

        if (JinjaGlobals.All.TryGetValue(name, out var builtin))
        {
            return builtin;
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
                    entries[TemplateValues.Key(Defined(Evaluate(key)))] = Defined(Evaluate(value));
                }

                return entries;
            case AttributeExpression attribute:
                return TemplateMembers.Attribute(Defined(Evaluate(attribute.Target)), attribute.Name, _source, attribute.Offset);
            case IndexExpression index:
                return TemplateMembers.Index(Defined(Evaluate(index.Target)), Defined(Evaluate(index.Index)), _source, index.Offset);
            case SliceExpression slice:
                return TemplateMembers.Slice(
                    Defined(Evaluate(slice.Target)),
                    slice.Start is null ? null : Defined(Evaluate(slice.Start)),
                    slice.Stop is null ? null : Defined(Evaluate(slice.Stop)),
                    slice.Step is null ? null : Defined(Evaluate(slice.Step)),
                    _source,
                    slice.Offset);
            case CallExpression call:
                return Call(call);
            case FilterExpression filter:
                var target = Evaluate(filter.Target);
                var (positional, named) = Arguments(filter.Arguments);
                return TemplateFilters.Apply(new TemplateCall(filter.Name, positional, named, _source, filter.Offset), target, Defined);
            case TestExpression test:
                var argument = test.Argument is null ? TemplateValues.Missing : Defined(Evaluate(test.Argument));
                return TemplateFilters.Test(test.Name, Evaluate(test.Target), argument, _source, test.Offset) != test.Negated;
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

    private object? Call(CallExpression call, TemplateFunction? caller = null)
    {
        if (call.Callee is NameExpression { Name: "return" } && Lookup("return", call.Offset) is Undefined)
        {
            var (values, _) = Arguments(call.Arguments);
            _returnValue = values.Count > 0 ? values[0] : null;
            _returned = true;
            return string.Empty;
        }

        var (positional, named) = Arguments(call.Arguments);

        // A method on a value (name.lower(), dict.items(), adapter.dispatch()) or a function or macro.
        if (call.Callee is AttributeExpression method)
        {
            var owner = Evaluate(method.Target);
            if (owner is Undefined && method.Target is NameExpression space && _environment.Macros?.MissingNamespace(space.Name, method.Name) is { } missing)
            {
                throw _source.Error(call.Offset, missing);
            }

            var target = Defined(owner);
            var member = TemplateMembers.Attribute(target, method.Name, _source, method.Offset, allowMissing: true);
            switch (member)
            {
                case TemplateFunction bound:
                    return bound(new TemplateCall(method.Name, positional, named, _source, call.Offset) { Caller = caller, Package = _package });
                case ITemplateCallable callable:
                    return callable.Call(new TemplateCall(method.Name, positional, named, _source, call.Offset) { Caller = caller, Package = _package });
                case MacroValue macro:
                    return Invoke(macro, positional, named, caller, call.Offset);
                case null when target is ITemplateObject host and not IReadOnlyList<object?> and not IReadOnlyDictionary<string, object?>:
                    throw _source.Error(method.Offset, host.MissingAttribute(method.Name));
            }

            return TemplateMembers.CallMethod(target, method.Name, positional, named, _source, method.Offset);
        }

        var callee = Evaluate(call.Callee);
        var name = call.Callee is NameExpression n ? n.Name : "the value";
        return callee switch
        {
            TemplateFunction function => function(new TemplateCall(name, positional, named, _source, call.Offset) { Caller = caller, Package = _package }),
            ITemplateCallable callable => callable.Call(new TemplateCall(name, positional, named, _source, call.Offset) { Caller = caller, Package = _package }),
            MacroValue macro => Invoke(macro, positional, named, caller, call.Offset),
            Undefined => throw _source.Error(call.Offset, $"unknown function or macro '{name}'"),
            _ => throw _source.Error(call.Offset, $"'{name}' is {TemplateValues.TypeName(callee)}, not a function"),
        };
    }

    private (List<object?> Positional, Dictionary<string, object?> Named) Arguments(TemplateArguments arguments)
    {
        var positional = arguments.Positional.Select(a => Defined(Evaluate(a))).ToList();
        if (arguments.Spread is { } spread)
        {
            positional.AddRange(Defined(Evaluate(spread)) as IReadOnlyList<object?> ?? throw _source.Error(spread.Offset, "'*' needs a list to spread into arguments"));
        }

        var named = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.Named)
        {
            named[name] = Defined(Evaluate(value));
        }

        if (arguments.NamedSpread is { } namedSpread)
        {
            foreach (var (name, value) in Defined(Evaluate(namedSpread)) as IReadOnlyDictionary<string, object?> ?? throw _source.Error(namedSpread.Offset, "'**' needs a dict to spread into named arguments"))
            {
                named[name] = value;
            }
        }

        return (positional, named);
    }
}
