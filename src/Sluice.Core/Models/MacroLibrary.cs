using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>
/// Every macro a project can call, by package: the root project's (macro-paths, and generic
/// tests in test-paths), its packages', and dbt's own. Names resolve as dbt resolves them:
/// the calling package's macros, then the root project's, then dbt's; other packages are
/// reached through their namespace (<c>dbt_utils.star</c>). <c>adapter.dispatch</c> picks a
/// macro's implementation for the warehouse.
/// </summary>
public sealed partial class MacroLibrary : IMacroResolver
{
    private static readonly string HubNames = string.Join(", ", PackageSet.BuiltInNames);
    private readonly Dictionary<string, Dictionary<string, MacroValue>> _packages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PackageNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<MissingPackage> _missing;

    private MacroLibrary(string root, string adapter, IReadOnlyDictionary<string, IReadOnlyList<string>> dispatch, IReadOnlyList<MissingPackage> missing)
    {
        RootPackage = root;
        Adapter = adapter;
        DispatchOrder = dispatch;
        _missing = missing;
    }

    /// <summary>The root project's name.</summary>
    public string RootPackage { get; }

    /// <summary>The adapter macros are dispatched for: duckdb, postgres or clickhouse.</summary>
    public string Adapter { get; }

    /// <summary>The project's <c>dispatch:</c> search orders, by macro namespace.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DispatchOrder { get; }

    /// <summary>The packages that have macros here, the root project and dbt included.</summary>
    public IReadOnlyCollection<string> Packages => _packages.Keys;

    /// <summary>A library with dbt's own macros only, for templates outside a project.</summary>
    public static MacroLibrary Builtin(string root, string adapter)
    {
        var library = new MacroLibrary(root, adapter, new Dictionary<string, IReadOnlyList<string>>(), []);
        library.Add(BuiltInPackages.Dbt, BuiltInPackages.Macros(BuiltInPackages.Dbt));
        library.Add(root, []);
        return library;
    }

    /// <summary>
    /// Loads the macros of the project in <paramref name="directory"/> and of <paramref name="packages"/>.
    /// A file that cannot be read or parsed, or a macro defined twice, is an error — or, when
    /// <paramref name="skip"/> is given, is passed to it and left out, so that an analysis can
    /// go on with the rest.
    /// </summary>
    public static MacroLibrary Load(string directory, ModelProjectSettings settings, PackageSet packages, string adapter, Action<ConfigurationException>? skip = null)
    {
        var library = new MacroLibrary(settings.ProjectName, adapter, settings.Dispatch, packages.Missing);
        library.Add(BuiltInPackages.Dbt, BuiltInPackages.Macros(BuiltInPackages.Dbt));
        foreach (var name in packages.BuiltIn)
        {
            library.Add(name, BuiltInPackages.Macros(name));
        }

        foreach (var package in packages.Installed)
        {
            library.Add(package.Name, Read(directory, package.Directory, package.Settings, package.Name, skip), skip);
        }

        library.Add(settings.ProjectName, Read(directory, directory, settings, settings.ProjectName, skip), skip);
        return library;
    }

    /// <summary>The macro <paramref name="name"/> of <paramref name="package"/>, or null.</summary>
    public MacroValue? Find(string package, string name) =>
        _packages.TryGetValue(package, out var macros) && macros.TryGetValue(name, out var macro) ? macro : null;

    /// <summary>The macros of <paramref name="package"/>.</summary>
    public IEnumerable<MacroValue> InPackage(string package) => _packages.TryGetValue(package, out var macros) ? macros.Values : [];

    /// <summary>
    /// The macro a call of <paramref name="name"/> from code of <paramref name="package"/> means,
    /// without a namespace: the package's own, the root project's, then dbt's. Null when none.
    /// </summary>
    public MacroValue? Lookup(string name, string? package) =>
        (package is null ? null : Find(package, name)) ?? Find(RootPackage, name) ?? Find(BuiltInPackages.Dbt, name);

    /// <inheritdoc />
    public object? Resolve(string name, string? package, MacroLookup lookup)
    {
        if (lookup == MacroLookup.BeforeGlobals)
        {
            return (package is null ? null : Find(package, name)) ?? Find(RootPackage, name) ?? TemplateValues.Missing;
        }

        return Find(BuiltInPackages.Dbt, name) ?? (object?)Namespace(name) ?? TemplateValues.Missing;
    }

    /// <inheritdoc />
    public string? MissingNamespace(string name, string member)
    {
        if (_missing.FirstOrDefault(m => m.Name == name) is { } missing)
        {
            return $"'{name}.{member}' comes from the package '{missing.Spec}' ({missing.Origin}), which is not installed under dbt_packages/ and has no built-in equivalent in Sluice (built in: {HubNames}); run `dbt deps` where dbt is installed and copy dbt_packages/ into the project, or write the macro in macros/";
        }

        return PackageSet.BuiltInNames.Contains(name)
            ? $"'{name}.{member}' needs the package {name}: declare it in packages.yml (Sluice provides {name} built in, so nothing needs installing)"
            : null;
    }

    /// <summary>
    /// dbt's <c>adapter.dispatch(name, macro_namespace)</c>: the first of
    /// <c>&lt;adapter&gt;__name</c> and <c>default__name</c> in each package of the search order —
    /// the project's <c>dispatch:</c> order for the namespace, else the namespace alone, else the
    /// calling package, the root project and dbt.
    /// </summary>
    public MacroValue Dispatch(TemplateCall call, string name, string? space)
    {
        if (Implementation(name, space, call.Package) is { } macro)
        {
            return macro;
        }

        if (space is not null && !_packages.ContainsKey(space) && MissingNamespace(space, name) is { } why)
        {
            throw call.Error($"adapter.dispatch('{name}', '{space}'): {why}");
        }

        throw call.Error($"adapter.dispatch('{name}'{(space is null ? "" : $", '{space}'")}) found no implementation; looked for {string.Join(", ", Candidates(name, space, call.Package))} — define one of them in macros/");
    }

    /// <summary>What <c>adapter.dispatch(name, space)</c> called from code of <paramref name="package"/> chooses, or null when it finds nothing.</summary>
    public MacroValue? Implementation(string name, string? space, string? package)
    {
        foreach (var candidate in Candidates(name, space, package))
        {
            var dot = candidate.IndexOf('.', StringComparison.Ordinal);
            if (Find(candidate[..dot], candidate[(dot + 1)..]) is { } macro)
            {
                return macro;
            }
        }

        return null;
    }

    // The macros dispatch looks for, in order, as package.prefix__name.
    private IEnumerable<string> Candidates(string name, string? space, string? package)
    {
        IReadOnlyList<string> order = space is null
            ? [.. new[] { package, RootPackage, BuiltInPackages.Dbt }.OfType<string>().Distinct(StringComparer.Ordinal)]
            : DispatchOrder.TryGetValue(space, out var configured) ? configured : [space];
        return order.SelectMany(p => new[] { Adapter, "default" }.Select(prefix => $"{p}.{prefix}__{name}"));
    }

    private PackageNamespace? Namespace(string name)
    {
        if (_namespaces.TryGetValue(name, out var space))
        {
            return space;
        }

        if (!_packages.TryGetValue(name, out var macros))
        {
            return null;
        }

        return _namespaces[name] = new PackageNamespace(name, macros);
    }

    private void Add(string package, IEnumerable<MacroDefinition> macros, Action<ConfigurationException>? skip = null)
    {
        if (!_packages.TryGetValue(package, out var known))
        {
            _packages[package] = known = new Dictionary<string, MacroValue>(StringComparer.Ordinal);
        }

        foreach (var macro in macros)
        {
            if (known.TryGetValue(macro.Name, out var earlier))
            {
                var first = earlier.Macro.Source.PositionOf(earlier.Macro.Offset).Line;
                var second = macro.Source.PositionOf(macro.Offset).Line;
                var twice = new ConfigurationException(
                    $"{macro.Source.File}:{second}: the macro '{macro.Name}' is also defined in {earlier.Macro.Source.File}:{first}; a package defines each macro once, so rename or remove one.");
                (skip ?? throw twice)(twice);
                continue;
            }

            known[macro.Name] = new MacroValue(macro);
        }
    }

    // A package's macros: .sql files under its macro-paths, and generic tests ({% test %}) in its test-paths.
    private static List<MacroDefinition> Read(string projectDirectory, string packageDirectory, ModelProjectSettings settings, string package, Action<ConfigurationException>? skip)
    {
        var macros = new List<MacroDefinition>();
        void Add(string path, bool genericTestsOnly)
        {
            try
            {
                if (!genericTestsOnly || IsGenericTestFile(projectDirectory, path))
                {
                    macros.AddRange(Parse(projectDirectory, path, package));
                }
            }
            catch (ConfigurationException error) when (skip is not null)
            {
                skip(error);
            }
        }

        foreach (var path in ProjectFiles.Find(packageDirectory, settings.MacroPaths, ".sql"))
        {
            Add(path, genericTestsOnly: false);
        }

        foreach (var path in ProjectFiles.Find(packageDirectory, settings.TestPaths, ".sql"))
        {
            Add(path, genericTestsOnly: true);
        }

        return macros;
    }

    private static IReadOnlyList<MacroDefinition> Parse(string projectDirectory, string path, string package)
    {
        var source = new TemplateSource(ProjectFiles.Relative(projectDirectory, path), ProjectFiles.ReadText(projectDirectory, path));
        return MacroDefinition.In(TemplateParser.Parse(source), source, package);
    }

    /// <summary>Whether a .sql file in test-paths holds generic tests (<c>{% test %}</c> blocks) rather than a singular test.</summary>
    public static bool IsGenericTestFile(string projectDirectory, string path) =>
        GenericTestTag().IsMatch(ProjectFiles.ReadText(projectDirectory, path));

    [GeneratedRegex(@"\{%-?\s*test\s+\w+\s*\(")]
    private static partial Regex GenericTestTag();
}

/// <summary>A package as a namespace: <c>dbt_utils.star</c> is its macro <c>star</c>.</summary>
/// <param name="Name">The package's name.</param>
/// <param name="Macros">Its macros.</param>
public sealed record PackageNamespace(string Name, IReadOnlyDictionary<string, MacroValue> Macros) : ITemplateObject
{
    /// <inheritdoc />
    public object? Attribute(string name) => Macros.TryGetValue(name, out var macro) ? macro : TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => $"<package {Name}>";

    /// <inheritdoc />
    public string MissingAttribute(string name) =>
        $"the package '{Name}' has no macro '{name}'" + (PackageSet.BuiltInNames.Contains(Name) || Name == BuiltInPackages.Dbt
            ? $" — Sluice's built-in {Name} provides: {string.Join(", ", Macros.Keys.Where(k => !k.Contains("__", StringComparison.Ordinal) && !k.StartsWith('_')).Order(StringComparer.Ordinal))}; see docs/models.md"
            : string.Empty);
}
