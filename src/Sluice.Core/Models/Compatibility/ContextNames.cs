using Sluice.Core.Graph;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// What a name in a template means to Sluice, looked up as the renderer looks it up: the
/// package's and the root project's macros, the context's globals (what
/// <see cref="TemplateContext"/> offers a model), dbt's own macros and the packages as
/// namespaces, then Jinja's functions. Nothing is rendered: the globals are built once with
/// placeholders for what only a run knows.
/// </summary>
internal sealed class ContextNames
{
    // The names dbt offers that Sluice does not, and what a project can do instead.
    private static readonly Dictionary<string, string> Gaps = new(StringComparer.Ordinal)
    {
        ["graph"] = "Sluice does not expose dbt's graph of nodes; pass what the macro needs (model names, columns) as arguments or vars",
        ["selected_resources"] = "Sluice does not expose the run's selection; pass what the macro needs as vars",
        ["store_result"] = "run the query with {% call statement('name', fetch_result=True) %} … {% endcall %} and read it with load_result('name')",
        ["store_raw_result"] = "run the query with {% call statement('name', fetch_result=True) %} … {% endcall %} and read it with load_result('name')",
        ["invocation_args_dict"] = "Sluice does not expose the command line; read what you need with var() or env_var()",
        ["dbt_metadata_envs"] = "read the variables with env_var()",
        ["doc"] = "doc() works in the descriptions of property files only",
        ["submit_python_job"] = "Python models are not supported; write the model in SQL",
        ["context"] = "Sluice does not expose the context as a dict; name the variable you need",
        ["model_is_ephemeral"] = "read config.get('materialized') instead",
    };

    private readonly IReadOnlyDictionary<string, object?> _globals;
    private readonly IReadOnlySet<string> _installed;

    public ContextNames(SluiceProject project, ModelProjectSettings settings, MacroLibrary macros, IReadOnlySet<string> installed)
    {
        Macros = macros;
        _installed = installed;
        var table = new TableName(project.DefaultSchema, "model");
        _globals = new TemplateContext
        {
            Vars = settings.Vars,
            Environment = project.Environment,
            Target = new TargetInfo(project.TargetName, project.DefaultSchema, project.Warehouse.Type, project.Threads ?? 4),
            This = new Relation(table),
            Ref = (_, name) => new Relation(new TableName(project.DefaultSchema, name)),
            Source = (_, source, name) => new Relation(new TableName(source, name)),
            ProjectName = settings.ProjectName,
            Macros = macros,
            Node = NodeValues.Of("model", NodeKind.Model, settings.ProjectName, "models/model.sql", table, new Dictionary<string, object?>(), [], null),
        }.ToGlobals();
    }

    /// <summary>The project's macros.</summary>
    public MacroLibrary Macros { get; }

    /// <summary>
    /// What <paramref name="name"/> means to code of <paramref name="package"/>: a
    /// <see cref="MacroValue"/>, a <see cref="PackageNamespace"/>, a global's value, one of
    /// Jinja's functions, or <see cref="TemplateValues.Missing"/>.
    /// </summary>
    public object? Resolve(string name, string? package)
    {
        if (Macros.Resolve(name, package, MacroLookup.BeforeGlobals) is var early && early != TemplateValues.Missing)
        {
            return early;
        }

        if (_globals.TryGetValue(name, out var global))
        {
            return global;
        }

        if (Macros.Resolve(name, package, MacroLookup.AfterGlobals) is var late && late != TemplateValues.Missing)
        {
            return late;
        }

        return JinjaGlobals.All.TryGetValue(name, out var builtin) ? builtin : TemplateValues.Missing;
    }

    /// <summary>Whether <paramref name="name"/> means the context's own global (<c>ref</c>, <c>config</c>, <c>adapter</c>), not a macro of the same name.</summary>
    public bool IsGlobal(string name, string? package) =>
        _globals.TryGetValue(name, out var global) && ReferenceEquals(Resolve(name, package), global);

    /// <summary>Whether <paramref name="value"/> is one of the globals itself, whose keys are Sluice's to know.</summary>
    public bool IsGlobalValue(object? value) => value is not null && _globals.Values.Any(v => ReferenceEquals(v, value));

    /// <summary>Whether <paramref name="macro"/> belongs to an installed package, whose macros are read only when the project reaches them.</summary>
    public bool IsInstalledPackageMacro(MacroDefinition macro) => macro.Package is { } package && _installed.Contains(package);

    /// <summary>What to do about a method strings do not have, called on one of the context's strings (<c>invocation_id.hex</c>).</summary>
    public static string StringAdvice(string path, string method) =>
        $"{path[..path.LastIndexOf('.')]} is a string in Sluice, whose methods are {string.Join(", ", TemplateMembers.StringMethodNames)}";

    /// <summary>What to do about a name nothing defines.</summary>
    public static string Advice(string name) => Gaps.TryGetValue(name, out var advice)
        ? advice
        : "neither Sluice's context, the project's macros nor its packages define it; set it with {% set %}, write a macro of that name in macros/, or remove it";
}
