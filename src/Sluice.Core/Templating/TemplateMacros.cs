namespace Sluice.Core.Templating;

/// <summary>
/// A macro as parsed from <c>{% macro %}</c> (or <c>{% test %}</c>): its parameters and body,
/// the file it is written in, and the package it belongs to, whose macros its body sees first.
/// </summary>
public sealed class MacroDefinition
{
    /// <summary>Builds a macro from its parsed node, written in <paramref name="source"/>.</summary>
    public MacroDefinition(MacroNode node, TemplateSource source, string? package)
    {
        Name = node.Name;
        Parameters = node.Parameters;
        Body = node.Body;
        Source = source;
        Offset = node.Offset;
        Package = package;
        var names = TemplateWalker.NamesRead(node.Body);
        TakesVarargs = names.Contains("varargs");
        TakesKwargs = names.Contains("kwargs");
    }

    /// <summary>The macro's name (<c>test_unique</c> for a <c>{% test unique %}</c> block).</summary>
    public string Name { get; }

    /// <summary>Its parameters, in order.</summary>
    public IReadOnlyList<MacroParameter> Parameters { get; }

    /// <summary>Its body.</summary>
    public IReadOnlyList<TemplateNode> Body { get; }

    /// <summary>The file it is written in.</summary>
    public TemplateSource Source { get; }

    /// <summary>Where its <c>{% macro %}</c> tag starts.</summary>
    public int Offset { get; }

    /// <summary>The package it belongs to; null for one written inside a model.</summary>
    public string? Package { get; }

    /// <summary>Whether the body reads <c>varargs</c>, so that extra positional arguments are accepted.</summary>
    public bool TakesVarargs { get; }

    /// <summary>Whether the body reads <c>kwargs</c>, so that unknown named arguments are accepted.</summary>
    public bool TakesKwargs { get; }

    /// <summary>How messages name it: <c>dbt_utils.star</c>, or the bare name for a model's own macro.</summary>
    public string DisplayName => Package is null ? Name : $"{Package}.{Name}";

    /// <summary>The macros defined at the top level of a parsed file.</summary>
    public static IReadOnlyList<MacroDefinition> In(IReadOnlyList<TemplateNode> nodes, TemplateSource source, string? package) =>
        [.. nodes.OfType<MacroNode>().Select(node => new MacroDefinition(node, source, package))];
}

/// <summary>
/// A macro as a value: what a name resolves to, callable as <c>name(…)</c>. <see cref="Module"/>
/// holds the top-level names of the template that defined it, for a model's own macros, which
/// may call each other.
/// </summary>
/// <param name="Macro">The macro.</param>
/// <param name="Module">The defining template's top-level names, or null.</param>
public sealed record MacroValue(MacroDefinition Macro, IReadOnlyDictionary<string, object?>? Module = null);

/// <summary>When a name is looked up among the project's macros, relative to the rendering's globals.</summary>
public enum MacroLookup
{
    /// <summary>Before the globals: the macros of the package being rendered and of the root project, which may override dbt's functions.</summary>
    BeforeGlobals,

    /// <summary>After the globals: dbt's own macros and the packages as namespaces (<c>dbt_utils.star</c>).</summary>
    AfterGlobals,
}

/// <summary>The macros a rendering can call by name: a project's, its packages' and dbt's own.</summary>
public interface IMacroResolver
{
    /// <summary>What <paramref name="name"/> means to code of <paramref name="package"/> at <paramref name="lookup"/>, or <see cref="TemplateValues.Missing"/>.</summary>
    object? Resolve(string name, string? package, MacroLookup lookup);

    /// <summary>Why <c>namespace.member</c> resolves to nothing, when <paramref name="name"/> looks like a package; null otherwise.</summary>
    string? MissingNamespace(string name, string member);
}

/// <summary>
/// What one rendering shares across the macros it calls: the globals (dbt's context for the
/// node being rendered), the macros it can call, and how deep the calls are.
/// </summary>
public sealed class TemplateEnvironment
{
    /// <summary>The deepest macro calls go before a call is taken to recurse without end.</summary>
    public const int MaxCallDepth = 100;

    /// <summary>An environment with <paramref name="globals"/>, the macros of <paramref name="macros"/>, rendering code of <paramref name="package"/>.</summary>
    public TemplateEnvironment(IReadOnlyDictionary<string, object?> globals, IMacroResolver? macros = null, string? package = null)
    {
        Globals = globals;
        Macros = macros;
        Package = package;
    }

    /// <summary>The globals.</summary>
    public IReadOnlyDictionary<string, object?> Globals { get; }

    /// <summary>The macros, or null for a template that may call none.</summary>
    public IMacroResolver? Macros { get; }

    /// <summary>The package of the template being rendered; null for the root project.</summary>
    public string? Package { get; }

    /// <summary>The macro calls under way, innermost last, for the recursion guard and its message.</summary>
    internal List<MacroCallSite> Calls { get; } = [];
}

/// <summary>
/// A <c>namespace()</c> object: attributes that <c>{% set ns.name = … %}</c> can change from
/// inside a loop, where a plain <c>set</c> would not outlive the iteration.
/// </summary>
public sealed class TemplateNamespace : ITemplateObject
{
    /// <summary>The attributes.</summary>
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public object? Attribute(string name) => Values.TryGetValue(name, out var value) ? value : TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => "<Namespace " + TemplateValues.Repr(Values) + ">";
}
