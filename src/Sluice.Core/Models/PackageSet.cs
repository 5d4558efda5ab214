using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>A package whose files are on disk: installed by <c>dbt deps</c>, or a <c>local:</c> one.</summary>
/// <param name="Name">Its project name (from its dbt_project.yml).</param>
/// <param name="Directory">Its folder.</param>
/// <param name="Display">Its folder relative to the project, for messages.</param>
/// <param name="Settings">Its dbt_project.yml.</param>
public sealed record InstalledPackage(string Name, string Directory, string Display, ModelProjectSettings Settings);

/// <summary>A package the project declares that Sluice can find neither installed nor built in.</summary>
/// <param name="Name">The name its macros are called under (<c>ad_reporting</c> of <c>fivetran/ad_reporting</c>).</param>
/// <param name="Spec">How the packages file names it.</param>
/// <param name="Origin">The file and line that declares it.</param>
public sealed record MissingPackage(string Name, string Spec, string Origin);

/// <summary>
/// The packages of a project: those <c>packages.yml</c> or <c>dependencies.yml</c> declare, found
/// installed under the install path (dbt_packages/) or as <c>local:</c> folders, and, for the
/// packages most projects use, Sluice's built-in equivalents when they are not installed. Every
/// package installed under the install path is loaded, as dbt loads them.
/// </summary>
public sealed class PackageSet
{
    /// <summary>The packages Sluice ships equivalents of, written from their documented behaviour.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["dbt_utils", "dbt_date", "dbt_expectations"];

    /// <summary>No packages.</summary>
    public static PackageSet None { get; } = new([], [], []);

    private PackageSet(IReadOnlyList<InstalledPackage> installed, IReadOnlyList<string> builtIn, IReadOnlyList<MissingPackage> missing)
    {
        Installed = installed;
        BuiltIn = builtIn;
        Missing = missing;
    }

    /// <summary>Packages whose files are on disk, in the order they are declared (then by folder).</summary>
    public IReadOnlyList<InstalledPackage> Installed { get; }

    /// <summary>Declared packages served by Sluice's built-in equivalents.</summary>
    public IReadOnlyList<string> BuiltIn { get; }

    /// <summary>Declared packages found nowhere.</summary>
    public IReadOnlyList<MissingPackage> Missing { get; }

    /// <summary>Reads the packages of the project in <paramref name="directory"/>.</summary>
    public static PackageSet Read(string directory, ModelProjectSettings settings, Func<string, string?> environment)
    {
        var declared = Declared(directory, environment);
        var installed = new List<InstalledPackage>();
        var installRoot = Path.Combine(directory, settings.PackagesInstallPath);
        if (System.IO.Directory.Exists(installRoot))
        {
            foreach (var folder in System.IO.Directory.GetDirectories(installRoot).Order(StringComparer.Ordinal))
            {
                if (Load(directory, folder, environment) is { } package)
                {
                    installed.Add(package);
                }
            }
        }

        var builtIn = new List<string>();
        var missing = new List<MissingPackage>();
        foreach (var (name, spec, origin, local) in declared)
        {
            if (local is not null)
            {
                var path = Path.GetFullPath(Path.Combine(directory, local));
                var package = Load(directory, path, environment)
                    ?? throw new ConfigurationException($"{origin}: the local package '{local}' has no dbt_project.yml; point local: at the package's folder.");
                if (installed.All(p => p.Name != package.Name))
                {
                    installed.Add(package);
                }
            }
            else if (installed.Any(p => p.Name == name))
            {
                continue;
            }
            else if (BuiltInNames.Contains(name))
            {
                builtIn.Add(name);
            }
            else
            {
                missing.Add(new MissingPackage(name, spec, origin));
            }
        }

        // Declared order first, as dbt resolves packages; undeclared installed ones after.
        var order = declared.Select(d => d.Name).ToList();
        installed = [.. installed.OrderBy(p => order.IndexOf(p.Name) is var i && i < 0 ? int.MaxValue : i)];
        return new PackageSet(installed, builtIn, missing);
    }

    private static InstalledPackage? Load(string projectDirectory, string folder, Func<string, string?> environment)
    {
        var file = Path.Combine(folder, SluiceProject.DbtFileName);
        if (!File.Exists(file))
        {
            return null;
        }

        var display = ProjectFiles.Relative(projectDirectory, file);
        var settings = ModelProjectSettings.ReadPackage(file, display, environment);
        return new InstalledPackage(settings.ProjectName, folder, ProjectFiles.Relative(projectDirectory, folder), settings);
    }

    // The entries of packages.yml or dependencies.yml: (call name, how it is written, where, local folder).
    private static List<(string Name, string Spec, string Origin, string? Local)> Declared(string directory, Func<string, string?> environment)
    {
        var entries = new List<(string, string, string, string?)>();
        foreach (var fileName in new[] { "packages.yml", "dependencies.yml" })
        {
            var path = Path.Combine(directory, fileName);
            if (!File.Exists(path))
            {
                continue;
            }

            var file = new ConfigFile(fileName, environment);
            if (file.Parse(File.ReadAllText(path)) is not { } root)
            {
                continue;
            }

            var sections = file.ReadMapping(root, fileName, ["packages", "projects"]);
            if (!sections.TryGetValue("packages", out var packages) || packages.Value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (packages.Value is not YamlSequenceNode list)
            {
                throw file.Error(packages.Value, "packages must be a list of `- package: owner/name` (or git:, local:) entries.");
            }

            foreach (var item in list)
            {
                var entry = file.ReadMapping(item, "a package entry", ["package", "version", "git", "revision", "subdirectory", "local", "private", "tarball", "name", "install-prerelease", "warn-unpinned", "provider"]);
                var origin = $"{fileName}:{item.Start.Line}";
                if (entry.TryGetValue("local", out var local))
                {
                    entries.Add((string.Empty, file.ReadString(local.Value, "local"), origin, file.ReadString(local.Value, "local")));
                }
                else if (entry.TryGetValue("package", out var hub) || entry.TryGetValue("private", out hub))
                {
                    var spec = file.ReadString(hub.Value, "package");
                    entries.Add((CallName(spec), spec, origin, null));
                }
                else if (entry.TryGetValue("git", out var git) || entry.TryGetValue("tarball", out git))
                {
                    var spec = file.ReadString(git.Value, "git");
                    var name = entry.TryGetValue("name", out var given) ? file.ReadString(given.Value, "name") : CallName(spec);
                    entries.Add((name, spec, origin, null));
                }
                else
                {
                    throw file.Error(item, "a package entry needs package:, git:, local:, private: or tarball:.");
                }
            }
        }

        return entries;
    }

    // "dbt-labs/dbt_utils" → dbt_utils; "https://github.com/dbt-labs/dbt-utils.git" → dbt_utils.
    private static string CallName(string spec)
    {
        var last = spec.TrimEnd('/').Split('/')[^1];
        if (last.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            last = last[..^4];
        }

        return last.Replace('-', '_');
    }
}
