using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models;

/// <summary>
/// What a project calls from packages Sluice cannot find: one error listing every call
/// (<c>file:line</c> and the macro's name), before any model renders, instead of one failure
/// per run.
/// </summary>
public static class PackageCalls
{
    /// <summary>Fails when the project's templates call a declared package that is neither installed nor built in.</summary>
    public static void RejectMissing(string directory, ModelProjectSettings settings, PackageSet packages)
    {
        if (packages.Missing.Count == 0)
        {
            return;
        }

        var missing = packages.Missing.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var calls = new List<string>();
        var folders = settings.ModelPaths.Concat(settings.SnapshotPaths).Concat(settings.MacroPaths).Concat(settings.TestPaths);
        foreach (var path in ProjectFiles.Find(directory, folders, ".sql"))
        {
            var source = new TemplateSource(ProjectFiles.Relative(directory, path), ProjectFiles.ReadText(directory, path));
            foreach (var expression in TemplateWalker.Expressions(TemplateParser.Parse(source)))
            {
                if (expression is AttributeExpression { Target: NameExpression space } attribute && missing.ContainsKey(space.Name))
                {
                    var position = source.PositionOf(attribute.Target.Offset);
                    calls.Add($"{space.Name}.{attribute.Name} ({source.File}:{position.Line}:{position.Column})");
                }
            }
        }

        if (calls.Count > 0)
        {
            var names = string.Join(", ", packages.Missing.Where(m => calls.Any(c => c.StartsWith(m.Name + ".", StringComparison.Ordinal))).Select(m => $"'{m.Spec}' ({m.Origin})"));
            throw new ConfigurationException(
                $"{calls[0][(calls[0].LastIndexOf('(') + 1)..^1]}: the project calls macros of packages that are not installed under {settings.PackagesInstallPath}/ and have no built-in equivalent in Sluice ({names}): {string.Join(", ", calls)}; run `dbt deps` where dbt is installed and copy {settings.PackagesInstallPath}/ into the project, or write these macros in macros/. Built in: {string.Join(", ", PackageSet.BuiltInNames)}.");
        }
    }
}
