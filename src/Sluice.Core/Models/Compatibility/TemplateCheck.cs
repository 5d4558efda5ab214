using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// Reads templates without rendering them and records what Sluice would refuse: unknown tags,
/// filters and tests, names nothing defines, members Sluice's objects lack
/// (<c>adapter.get_relations_by_pattern</c>, <c>modules.os</c>), calls into packages that are
/// missing, <c>ref()</c> with a version or another package, configs Sluice refuses. Names a
/// template defines itself are local: macro parameters, <c>{% set %}</c> targets, loop
/// variables, <c>loop</c>, and <c>caller</c>, <c>varargs</c>, <c>kwargs</c> inside macros; a name
/// read under <c>is defined</c> or <c>| default</c> is allowed to be missing. The macros of
/// installed packages that a template reaches are collected, to be read in turn.
/// </summary>
internal sealed partial class TemplateCheck(ContextNames names, List<CompatibilityFinding> findings)
{
    /// <summary>The macros the project can call.</summary>
    public MacroLibrary Macros => names.Macros;

    private static readonly string[] MacroLocals = ["caller", "varargs", "kwargs"];
    private readonly Queue<MacroDefinition> _reached = new();
    private readonly HashSet<MacroDefinition> _seen = new(ReferenceEqualityComparer.Instance);

    /// <summary>What a template is, for the checks that depend on it.</summary>
    public enum Use
    {
        /// <summary>A model: <c>config(materialized=…)</c> must name a materialization Sluice builds.</summary>
        Model,

        /// <summary>Anything else: a snapshot, a macro file, a test, a config value.</summary>
        Other,
    }

    /// <summary>Reads a whole file of <paramref name="package"/> (null for the root project).</summary>
    public void File(TemplateSource source, string? package, Use use)
    {
        IReadOnlyList<TemplateNode> nodes;
        IReadOnlyList<string> defined;
        try
        {
            (source, defined) = TemplateTags.Blank(source, findings);
            nodes = TemplateParser.Parse(source);
        }
        catch (TemplateException error)
        {
            findings.Add(CompatibilityFinding.From(error, source.File));
            return;
        }

        var file = new TemplateScope(null, TemplateScope.Declared(nodes).Concat(defined).Concat(TemplateScope.Optional(nodes)));
        Walk(nodes, file, new Place(source, package, use, file));
    }

    /// <summary>Reads the macros of installed packages that what was read so far calls, and those they call.</summary>
    public void ReachedMacros()
    {
        while (_reached.TryDequeue(out var macro))
        {
            var node = new MacroNode(macro.Offset, macro.Name, macro.Parameters, macro.Body);
            var file = new TemplateScope(null, []);
            Walk([node], file, new Place(macro.Source, macro.Package, Use.Other, file));
        }
    }

    private void Walk(IReadOnlyList<TemplateNode> nodes, TemplateScope scope, Place place)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case ForNode loop:
                    var inner = new TemplateScope(scope, [.. loop.Targets, "loop", .. TemplateScope.Declared(loop.Body), .. TemplateScope.Declared(loop.Else)]);
                    Expressions(node, inner, place);
                    Walk(loop.Body, inner, place);
                    Walk(loop.Else, inner, place);
                    break;
                case MacroNode macro:
                    // A macro sees its own names and the top level of its file, not where it is written.
                    var body = new TemplateScope(place.File, [.. macro.Parameters.Select(p => p.Name), .. MacroLocals, .. TemplateScope.Declared(macro.Body)]);
                    Expressions(node, body, place);
                    Walk(macro.Body, body, place);
                    break;
                case CallBlockNode call:
                    var caller = new TemplateScope(scope, [.. call.CallerParameters.Select(p => p.Name), .. TemplateScope.Declared(call.Body)]);
                    Expressions(node, caller, place);
                    Walk(call.Body, caller, place);
                    break;
                case SetAttributeNode set:
                    Name(new NameExpression(set.Offset, set.Target), scope, place, guarded: false);
                    Expressions(node, scope, place);
                    break;
                case IfNode branch:
                    Expressions(node, scope, place);
                    foreach (var (_, branchBody) in branch.Branches)
                    {
                        Walk(branchBody, scope, place);
                    }

                    Walk(branch.Else, scope, place);
                    break;
                case SetBlockNode block:
                    Walk(block.Body, scope, place);
                    break;
                default:
                    Expressions(node, scope, place);
                    break;
            }
        }
    }

    private void Expressions(TemplateNode node, TemplateScope scope, Place place)
    {
        var all = TemplateWalker.ExpressionsOf(node).ToList();
        var guarded = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
        var callees = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
        var heads = new HashSet<Expression>(ReferenceEqualityComparer.Instance);
        foreach (var expression in all)
        {
            switch (expression)
            {
                case TestExpression { Name: "defined" or "undefined" } test:
                    Guard(test.Target, guarded);
                    break;
                case FilterExpression { Name: "default" or "d" } filter:
                    Guard(filter.Target, guarded);
                    break;
                case CallExpression call:
                    callees.Add(call.Callee);
                    break;
                case AttributeExpression attribute:
                    heads.Add(attribute.Target);
                    break;
            }
        }

        foreach (var expression in all)
        {
            switch (expression)
            {
                case FilterExpression filter:
                    Filter(filter, place);
                    break;
                case TestExpression test when !TemplateFilters.TestNames.Contains(test.Name):
                    Add(place, test.Offset, $"Jinja test '{test.Name}'", $"Sluice's tests are {string.Join(", ", TemplateFilters.TestNames)}");
                    break;
                case NameExpression name when !heads.Contains(name):
                    Name(name, scope, place, guarded.Contains(name));
                    break;
                case AttributeExpression attribute when !heads.Contains(attribute):
                    Chain(attribute, scope, place, guarded, callees);
                    break;
                case CallExpression call:
                    Call(call, scope, place);
                    break;
            }
        }
    }

    // `x.y.z is defined`: each step of the chain may be missing.
    private static void Guard(Expression expression, HashSet<Expression> guarded)
    {
        for (var at = expression; ; at = ((AttributeExpression)at).Target)
        {
            guarded.Add(at);
            if (at is not AttributeExpression)
            {
                return;
            }
        }
    }

    private void Filter(FilterExpression filter, Place place)
    {
        if (!TemplateFilters.FilterNames.Contains(filter.Name))
        {
            Add(place, filter.Offset, $"filter '{filter.Name}'", $"Sluice's filters are {string.Join(", ", TemplateFilters.FilterNames)}; write a macro that does the same, or do it in SQL");
            return;
        }

        // A filter or test named by a string argument: map('slugify'), select('prime'), selectattr('x', 'prime').
        var (at, known, what) = filter.Name switch
        {
            "map" when filter.Arguments.Named.Count == 0 => (0, TemplateFilters.FilterNames, "filter"),
            "select" or "reject" => (0, TemplateFilters.TestNames, "Jinja test"),
            "selectattr" or "rejectattr" => (1, TemplateFilters.TestNames, "Jinja test"),
            _ => (-1, [], ""),
        };
        if (at >= 0 && at < filter.Arguments.Positional.Count && filter.Arguments.Positional[at] is LiteralExpression { Value: string named } literal && !known.Contains(named))
        {
            Add(place, literal.Offset, $"{what} '{named}'", $"Sluice's {what}s are {string.Join(", ", known)}");
        }
    }

    private void Name(NameExpression name, TemplateScope scope, Place place, bool guarded)
    {
        if (guarded || scope.Contains(name.Name) || name.Name == "return")
        {
            return;
        }

        var value = names.Resolve(name.Name, place.Package);
        if (value == TemplateValues.Missing)
        {
            Add(place, name.Offset, $"name '{name.Name}'", ContextNames.Advice(name.Name));
        }
        else
        {
            Reach(value);
        }
    }

    // A chain of attributes from a name: each step is checked against what Sluice's object has.
    private void Chain(AttributeExpression last, TemplateScope scope, Place place, HashSet<Expression> guarded, HashSet<Expression> callees)
    {
        var steps = new List<AttributeExpression>();
        Expression head = last;
        while (head is AttributeExpression step)
        {
            steps.Insert(0, step);
            head = step.Target;
        }

        if (head is not NameExpression root || scope.Contains(root.Name))
        {
            return;
        }

        var value = names.Resolve(root.Name, place.Package);
        if (value == TemplateValues.Missing)
        {
            if (guarded.Contains(root))
            {
                return;
            }

            if (names.Macros.MissingNamespace(root.Name, steps[0].Name) is { } missing)
            {
                Add(place, root.Offset, $"{root.Name}.{steps[0].Name}", missing);
            }
            else
            {
                Add(place, root.Offset, $"name '{root.Name}'", ContextNames.Advice(root.Name));
            }

            return;
        }

        var path = root.Name;
        var topLevel = names.IsGlobalValue(value);
        foreach (var step in steps)
        {
            path += "." + step.Name;
            object? next;
            switch (value)
            {
                case ITemplateObject host:
                    next = host.Attribute(step.Name);
                    if (next == TemplateValues.Missing)
                    {
                        if (!guarded.Contains(step))
                        {
                            var why = host.MissingAttribute(step.Name);
                            Add(place, root.Offset, path, why.StartsWith(host.Render(), StringComparison.Ordinal) ? $"Sluice's {root.Name} has no '{step.Name}'" : why);
                        }

                        return;
                    }

                    break;
                case IReadOnlyDictionary<string, object?> dict when topLevel && !callees.Contains(step):
                    // The keys of the context's own dicts (target, flags, model) are Sluice's to know; deeper ones are data.
                    if (!dict.TryGetValue(step.Name, out next))
                    {
                        if (!guarded.Contains(step))
                        {
                            Add(place, root.Offset, path, $"Sluice's {root.Name} has {string.Join(", ", dict.Keys)}; it has no '{step.Name}'");
                        }

                        return;
                    }

                    break;
                case string when callees.Contains(step) && !TemplateMembers.StringMethodNames.Contains(step.Name):
                    Add(place, root.Offset, path, ContextNames.StringAdvice(path, step.Name));
                    return;
                default:
                    return;
            }

            Reach(next);
            value = next;
            topLevel = false;
        }
    }

    private void Reach(object? value)
    {
        if (value is MacroValue { Macro: var macro } && names.IsInstalledPackageMacro(macro) && _seen.Add(macro))
        {
            _reached.Enqueue(macro);
        }
    }

    private void Add(Place place, int offset, string construct, string advice) =>
        findings.Add(CompatibilityFinding.At(place.Source, offset, construct, advice));

    /// <summary>Where names are read: the file, its package, what it is, and its top-level scope.</summary>
    internal sealed record Place(TemplateSource Source, string? Package, Use Use, TemplateScope File);
}
