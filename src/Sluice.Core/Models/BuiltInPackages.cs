using System.Reflection;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>
/// The macros Sluice ships as packages: <c>dbt</c> (dbt's own cross-database macros and
/// defaults) and equivalents of dbt_utils, dbt_date and dbt_expectations, written as Jinja in
/// Models/Packages/&lt;package&gt;/ and embedded. They are parsed once per process.
/// </summary>
public static class BuiltInPackages
{
    /// <summary>The package of dbt's own macros, always available as <c>dbt.</c>.</summary>
    public const string Dbt = "dbt";

    private const string Prefix = "sluice-packages/";
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<MacroDefinition>>> Parsed = new(Load);

    /// <summary>The macros of the built-in package <paramref name="package"/> (empty when there is none).</summary>
    public static IReadOnlyList<MacroDefinition> Macros(string package) => Parsed.Value.GetValueOrDefault(package) ?? [];

    private static IReadOnlyDictionary<string, IReadOnlyList<MacroDefinition>> Load()
    {
        var assembly = typeof(BuiltInPackages).Assembly;
        var packages = new Dictionary<string, List<MacroDefinition>>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var relative = resource[Prefix.Length..].Replace('\\', '/');
            var package = relative.Split('/')[0];
            var source = new TemplateSource($"<sluice>/{package}/{relative[(package.Length + 1)..]}", Read(assembly, resource));
            var nodes = TemplateParser.Parse(source);
            if (!packages.TryGetValue(package, out var macros))
            {
                packages[package] = macros = [];
            }

            macros.AddRange(MacroDefinition.In(nodes, source, package));
        }

        return packages.ToDictionary(p => p.Key, p => (IReadOnlyList<MacroDefinition>)p.Value, StringComparer.Ordinal);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
