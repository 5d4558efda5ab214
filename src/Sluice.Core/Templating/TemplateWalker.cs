namespace Sluice.Core.Templating;

/// <summary>Visits every node and expression of a parsed template, for analyses that do not render it.</summary>
public static class TemplateWalker
{
    /// <summary>Every node, depth first, nested bodies included.</summary>
    public static IEnumerable<TemplateNode> Nodes(IReadOnlyList<TemplateNode> nodes)
    {
        foreach (var node in nodes)
        {
            yield return node;
            foreach (var body in Bodies(node))
            {
                foreach (var inner in Nodes(body))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every expression of every node, sub-expressions included.</summary>
    public static IEnumerable<Expression> Expressions(IReadOnlyList<TemplateNode> nodes) =>
        Nodes(nodes).SelectMany(Roots).SelectMany(Expand);

    /// <summary>The expressions written in <paramref name="node"/> itself, sub-expressions included, but not those of its nested bodies.</summary>
    public static IEnumerable<Expression> ExpressionsOf(TemplateNode node) => Roots(node).SelectMany(Expand);

    /// <summary>The names the template reads.</summary>
    public static IReadOnlySet<string> NamesRead(IReadOnlyList<TemplateNode> nodes) =>
        Expressions(nodes).OfType<NameExpression>().Select(n => n.Name).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<IReadOnlyList<TemplateNode>> Bodies(TemplateNode node) => node switch
    {
        IfNode branch => [.. branch.Branches.Select(b => b.Body), branch.Else],
        ForNode loop => [loop.Body, loop.Else],
        SetBlockNode block => [block.Body],
        MacroNode macro => [macro.Body],
        CallBlockNode call => [call.Body],
        _ => [],
    };

    private static IEnumerable<Expression> Roots(TemplateNode node) => node switch
    {
        OutputNode output => [output.Value],
        IfNode branch => branch.Branches.Select(b => b.Condition),
        ForNode loop => loop.Filter is null ? [loop.Items] : [loop.Items, loop.Filter],
        SetNode set => [set.Value],
        SetAttributeNode set => [set.Value],
        DoNode effect => [effect.Value],
        MacroNode macro => macro.Parameters.Select(p => p.Default).OfType<Expression>(),
        CallBlockNode call => [call.Call, .. call.CallerParameters.Select(p => p.Default).OfType<Expression>()],
        _ => [],
    };

    private static IEnumerable<Expression> Expand(Expression expression)
    {
        yield return expression;
        foreach (var child in Children(expression))
        {
            foreach (var inner in Expand(child))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<Expression> Children(Expression expression) => expression switch
    {
        ListExpression list => list.Items,
        DictExpression dict => dict.Entries.SelectMany(e => new[] { e.Key, e.Value }),
        AttributeExpression attribute => [attribute.Target],
        IndexExpression index => [index.Target, index.Index],
        SliceExpression slice => new[] { slice.Target, slice.Start, slice.Stop, slice.Step }.OfType<Expression>(),
        CallExpression call => [call.Callee, .. Arguments(call.Arguments)],
        FilterExpression filter => [filter.Target, .. Arguments(filter.Arguments)],
        TestExpression test => test.Argument is null ? [test.Target] : [test.Target, test.Argument],
        UnaryExpression unary => [unary.Operand],
        BinaryExpression binary => [binary.Left, binary.Right],
        ConditionalExpression conditional => new[] { conditional.Condition, conditional.Then, conditional.Otherwise }.OfType<Expression>(),
        _ => [],
    };

    private static IEnumerable<Expression> Arguments(TemplateArguments arguments) =>
        arguments.Positional.Concat(arguments.Named.Select(n => n.Value)).Concat(new[] { arguments.Spread, arguments.NamedSpread }.OfType<Expression>());
}
