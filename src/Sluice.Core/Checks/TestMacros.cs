using System.Text.RegularExpressions;
using Sluice.Core.Models;
using Sluice.Core.Project;
using Sluice.Core.Templating;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>
/// Finds the macro a test's name means, as dbt does: <c>name</c> is <c>test_name</c> of the
/// package that declares the test or of the root project — which thereby override Sluice's own
/// check types, as a dbt root project overrides dbt's built-in tests — and else of dbt's own
/// macros; <c>package.name</c> is <c>test_name</c> of that package. Sluice's own types keep
/// the <c>dbt_utils.</c> and <c>dbt.</c> names they stand for.
/// </summary>
internal static partial class TestMacros
{
    private static readonly string[] OwnTypeNamespaces = [BuiltInPackages.Dbt, "dbt_utils"];

    /// <summary>The macro that implements <paramref name="written"/>, or null when one of Sluice's own check types does.</summary>
    /// <param name="file">The property file, for errors.</param>
    /// <param name="at">The test's name node.</param>
    /// <param name="written">The name as written: <c>unique</c>, <c>dbt_utils.at_least_one</c>.</param>
    /// <param name="project">The project, with its macros.</param>
    /// <param name="package">The package of what the test is declared on; null for the root project.</param>
    public static MacroValue? Resolve(ConfigFile file, YamlNode at, string written, ParsedProject project, string? package)
    {
        var macros = project.Macros;
        if (TestName().Match(written) is not { Success: true } match)
        {
            return null;
        }

        var space = match.Groups["space"].Success ? match.Groups["space"].Value : null;
        var name = match.Groups["name"].Value;
        var macroName = "test_" + name;
        if (space is null)
        {
            var own = (package is null ? null : macros.Find(package, macroName)) ?? macros.Find(macros.RootPackage, macroName);
            if (own is not null || CheckTypes.All.ContainsKey(name))
            {
                return own;
            }

            return macros.Find(BuiltInPackages.Dbt, macroName);
        }

        if (OwnTypeNamespaces.Contains(space) && CheckTypes.All.ContainsKey(name))
        {
            return null;
        }

        if (macros.Find(space, macroName) is { } macro)
        {
            return macro;
        }

        if (!macros.Packages.Contains(space))
        {
            var why = macros.MissingNamespace(space, name)
                ?? $"there is no package '{space}' (the packages are {string.Join(", ", macros.Packages.Order(StringComparer.Ordinal))})";
            throw file.Error(at, $"the test '{written}': {why}.");
        }

        var tests = macros.InPackage(space).Select(m => m.Macro.Name).Where(n => n.StartsWith("test_", StringComparison.Ordinal)).Select(n => n[5..]).Order(StringComparer.Ordinal).ToList();
        throw file.Error(at, $"the package '{space}' has no generic test '{name}' (a macro test_{name}); "
            + (tests.Count == 0 ? "it has no generic tests." : $"its tests are {string.Join(", ", tests)}."));
    }

    /// <summary>The generic tests the root project and dbt's own macros provide, by name, for messages.</summary>
    public static IEnumerable<string> ProjectTests(ParsedProject project) =>
        project.Macros.InPackage(project.Macros.RootPackage).Concat(project.Macros.InPackage(BuiltInPackages.Dbt))
            .Select(m => m.Macro.Name)
            .Where(n => n.StartsWith("test_", StringComparison.Ordinal))
            .Select(n => n[5..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"^(?:(?<space>[A-Za-z_][A-Za-z0-9_]*)\.)?(?<name>[A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex TestName();
}
