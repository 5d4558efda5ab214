using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// The names a template defines at one level — a file's top level, a macro, a loop, a call
/// block's body — and the level around it. As the renderer does, an <c>{% if %}</c> opens no
/// level; unlike it, where a name is set in its level does not matter (a read before the set is
/// the renderer's error, not a construct Sluice lacks).
/// </summary>
internal sealed class TemplateScope(TemplateScope? parent, IEnumerable<string> names)
{
    private readonly HashSet<string> _names = new(names, StringComparer.Ordinal);

    public bool Contains(string name) => _names.Contains(name) || (parent?.Contains(name) ?? false);

    // Names the file tests with `is defined` or gives a `| default`: it expects them to be missing
    // at times and guards their other uses ({% if x is defined %}{{ x }}{% endif %}).
    public static IEnumerable<string> Optional(IReadOnlyList<TemplateNode> nodes) =>
        TemplateWalker.Expressions(nodes).SelectMany(expression => expression switch
        {
            TestExpression { Name: "defined" or "undefined", Target: var target } => Root(target),
            FilterExpression { Name: "default" or "d", Target: var target } => Root(target),
            _ => [],
        });

    private static IEnumerable<string> Root(Expression expression) => expression switch
    {
        NameExpression name => [name.Name],
        AttributeExpression attribute => Root(attribute.Target),
        _ => [],
    };

    // Names a body defines for the scope it runs in: sets, set blocks and macros, also inside ifs.
    public static IEnumerable<string> Declared(IReadOnlyList<TemplateNode> nodes) => nodes.SelectMany(node => node switch
    {
        SetNode set => set.Targets,
        SetBlockNode block => [block.Target, .. Declared(block.Body)],
        MacroNode macro => [macro.Name],
        IfNode branch => branch.Branches.SelectMany(b => Declared(b.Body)).Concat(Declared(branch.Else)),
        _ => [],
    });
}
