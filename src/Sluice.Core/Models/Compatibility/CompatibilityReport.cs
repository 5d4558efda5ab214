namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// What a static read of a project found, before anything renders or runs: the constructs Sluice
/// does not support, each with its place, and a summary of the project's packages, macros,
/// overrides of dbt's macros, dispatch orders and what Sluice reads but ignores.
/// </summary>
/// <param name="ProjectName">The project's name.</param>
/// <param name="Findings">Everything found, by file, line and column: the constructs Sluice does not support and the files it cannot read.</param>
/// <param name="Packages">The root project and each package, with where its macros come from.</param>
/// <param name="Overrides">The root project's macros that replace a macro of dbt or of a package.</param>
/// <param name="Dispatch">The project's <c>dispatch:</c> search orders, by macro namespace.</param>
/// <param name="Ignored">What Sluice reads and ignores, as <c>file:line: what</c>.</param>
public sealed record CompatibilityReport(
    string ProjectName,
    IReadOnlyList<CompatibilityFinding> Findings,
    IReadOnlyList<PackageSummary> Packages,
    IReadOnlyList<MacroOverride> Overrides,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dispatch,
    IReadOnlyList<string> Ignored)
{
    /// <summary>The constructs Sluice does not support.</summary>
    public IReadOnlyList<CompatibilityFinding> Unsupported => [.. Findings.Where(f => !f.Unreadable)];

    /// <summary>The files Sluice cannot read at all, which stop it with their own error.</summary>
    public IReadOnlyList<CompatibilityFinding> Unreadable => [.. Findings.Where(f => f.Unreadable)];
}

/// <summary>Where a package's macros come from.</summary>
public enum PackageOrigin
{
    /// <summary>The root project itself.</summary>
    Project,

    /// <summary>Installed under dbt_packages/ (or a <c>local:</c> folder).</summary>
    Installed,

    /// <summary>Sluice's own equivalent, shipped with Sluice.</summary>
    BuiltIn,

    /// <summary>Declared but found nowhere.</summary>
    Missing,
}

/// <summary>A package of the project, or the project itself.</summary>
/// <param name="Name">The name its macros are called under.</param>
/// <param name="Origin">Where it comes from.</param>
/// <param name="Where">Its folder, or for a missing one the file and line that declare it; empty for a built-in one.</param>
/// <param name="Macros">How many macros it has.</param>
public sealed record PackageSummary(string Name, PackageOrigin Origin, string Where, int Macros);

/// <summary>A macro of the root project that replaces one of dbt's or a package's.</summary>
/// <param name="Name">The macro's name.</param>
/// <param name="File">Where it is written, as <c>file:line</c>.</param>
/// <param name="Effect">What it changes in Sluice.</param>
public sealed record MacroOverride(string Name, string File, string Effect);
