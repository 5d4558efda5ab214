using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// Reads a whole project — models, snapshots, macros, tests, the project file and property
/// files, and the installed packages' models and the macros the project reaches in them — for
/// every construct Sluice does not support, without rendering a template or opening the
/// warehouse. Where Sluice's own reading stops at the first error, this goes on: a file that
/// does not parse is one finding, and the other files are still read.
/// </summary>
public static class CompatibilityAnalysis
{
    /// <summary>The report on <paramref name="project"/>.</summary>
    public static CompatibilityReport Run(SluiceProject project)
    {
        var findings = new List<CompatibilityFinding>();
        var directory = project.Directory;
        var projectFile = project.DbtProjectPath is null ? SluiceProject.FileName : SluiceProject.DbtFileName;
        var settings = Read(findings, projectFile, () => ModelProjectSettings.Read(project)) ?? Fallback(project, projectFile);
        var packages = Read(findings, "packages.yml", () => PackageSet.Read(directory, settings, project.Environment)) ?? PackageSet.None;
        var macros = MacroLibrary.Load(directory, settings, packages, project.Warehouse.Type, error => findings.Add(CompatibilityFinding.From(error, projectFile)));
        var names = new ContextNames(project, settings, macros, packages.Installed.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
        var templates = new TemplateCheck(names, findings);
        var ignored = new List<string>(settings.IgnoredKeys);
        var files = new ProjectFileCheck(templates, findings, ignored);

        Resources(directory, null, settings, f => f, templates, files, findings);
        foreach (var package in packages.Installed)
        {
            Resources(directory, package.Name, package.Settings, f => $"{package.Display}/{f}", templates, files, findings);
        }

        foreach (var path in ProjectFiles.Find(directory, settings.MacroPaths, ".sql"))
        {
            Template(directory, path, findings, source => templates.File(source, null, TemplateCheck.Use.Other));
        }

        foreach (var path in ProjectFiles.Find(directory, settings.TestPaths, ".sql"))
        {
            Template(directory, path, findings, source => templates.File(source, null, TemplateCheck.Use.Other));
        }

        var projectPath = project.DbtProjectPath ?? Path.Combine(directory, SluiceProject.FileName);
        if (File.Exists(projectPath))
        {
            files.ProjectFile(projectPath, projectFile);
        }

        templates.ReachedMacros();
        return new CompatibilityReport(settings.ProjectName, Ordered(findings), Packages(settings, packages, macros), Overrides(macros), settings.Dispatch, ignored);
    }

    // A project's (or an installed package's) models, snapshots and property files, which Sluice builds and reads.
    private static void Resources(string directory, string? package, ModelProjectSettings settings, Func<string, string> folder, TemplateCheck templates, ProjectFileCheck files, List<CompatibilityFinding> findings)
    {
        var models = settings.ModelPaths.Select(folder).ToList();
        var snapshots = settings.SnapshotPaths.Select(folder).ToList();
        foreach (var path in ProjectFiles.Find(directory, models, ".sql"))
        {
            Template(directory, path, findings, source => templates.File(source, package, TemplateCheck.Use.Model));
        }

        foreach (var path in ProjectFiles.Find(directory, models, ".py"))
        {
            findings.Add(new CompatibilityFinding(ProjectFiles.Relative(directory, path), 1, 1, "Python model", "Sluice runs SQL models only and does not read this file; rewrite the model in SQL"));
        }

        foreach (var path in ProjectFiles.Find(directory, snapshots, ".sql"))
        {
            Template(directory, path, findings, source =>
            {
                foreach (var (_, text) in SnapshotBlocks.Read(source.File, source.Text))
                {
                    templates.File(new TemplateSource(source.File, text), package, TemplateCheck.Use.Other);
                }
            });
        }

        foreach (var path in ProjectFiles.Find(directory, models.Concat(settings.SeedPaths.Select(folder)).Concat(snapshots), ".yml", ".yaml"))
        {
            files.PropertyFile(path, ProjectFiles.Relative(directory, path), package);
        }
    }

    private static void Template(string directory, string path, List<CompatibilityFinding> findings, Action<TemplateSource> check)
    {
        var display = ProjectFiles.Relative(directory, path);
        try
        {
            check(new TemplateSource(display, ProjectFiles.ReadText(directory, path)));
        }
        catch (ConfigurationException error)
        {
            findings.Add(CompatibilityFinding.From(error, display));
        }
    }

    private static T? Read<T>(List<CompatibilityFinding> findings, string file, Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (ConfigurationException error)
        {
            findings.Add(CompatibilityFinding.From(error, file));
            return null;
        }
    }

    // The settings a project file that does not read would most likely have given: dbt's default folders.
    private static ModelProjectSettings Fallback(SluiceProject project, string projectFile) => new(
        project.Name, projectFile, project.DbtProjectPath is not null, ["models"], ["seeds"], ["snapshots"], ["tests"], ["macros"],
        new Dictionary<string, object?>(), FolderConfigs.Empty, FolderConfigs.Empty, FolderConfigs.Empty, [], []);

    // One finding per place and construct; a parse error where a more precise finding already is says nothing more.
    private static List<CompatibilityFinding> Ordered(List<CompatibilityFinding> findings)
    {
        var places = findings.Where(f => f.Construct != "template that does not parse").Select(f => (f.File, f.Line, f.Column)).ToHashSet();
        return [.. findings
            .Where(f => f.Construct != "template that does not parse" || !places.Contains((f.File, f.Line, f.Column)))
            .DistinctBy(f => (f.File, f.Line, f.Column, f.Construct))
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.Column)
            .ThenBy(f => f.Construct, StringComparer.Ordinal)];
    }

    private static List<PackageSummary> Packages(ModelProjectSettings settings, PackageSet packages, MacroLibrary macros)
    {
        int Count(string package) => macros.InPackage(package).Count();
        return
        [
            new PackageSummary(settings.ProjectName, PackageOrigin.Project, string.Empty, Count(settings.ProjectName)),
            .. packages.Installed.Select(p => new PackageSummary(p.Name, PackageOrigin.Installed, p.Display, Count(p.Name))),
            new PackageSummary(BuiltInPackages.Dbt, PackageOrigin.BuiltIn, string.Empty, Count(BuiltInPackages.Dbt)),
            .. packages.BuiltIn.Select(name => new PackageSummary(name, PackageOrigin.BuiltIn, string.Empty, Count(name))),
            .. packages.Missing.Select(m => new PackageSummary(m.Name, PackageOrigin.Missing, m.Origin, 0)),
        ];
    }

    private static List<MacroOverride> Overrides(MacroLibrary macros)
    {
        var root = macros.RootPackage;
        var overrides = new List<MacroOverride>();
        foreach (var macro in macros.InPackage(root).Select(m => m.Macro).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var others = macros.Packages.Where(p => p != root && macros.Find(p, macro.Name) is not null).Select(p => $"{p}.{macro.Name}").ToList();
            var effect = macro.Name switch
            {
                "generate_schema_name" => "names the schema of every model, seed and snapshot",
                "generate_alias_name" => "names the table or view of every model, seed and snapshot",
                "generate_database_name" => "ignored: Sluice builds every model in the target's database",
                _ when others.Count == 0 => null,
                _ when macro.Name.Contains("__", StringComparison.Ordinal) => $"replaces {string.Join(", ", others)} where a dispatch: search order lists {root}, or the caller is {root}",
                _ => $"replaces {string.Join(", ", others)}",
            };
            if (effect is not null)
            {
                overrides.Add(new MacroOverride(macro.Name, $"{macro.Source.File}:{macro.Source.PositionOf(macro.Offset).Line}", effect));
            }
        }

        return overrides;
    }
}
