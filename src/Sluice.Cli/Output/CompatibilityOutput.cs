using Sluice.Core.Models.Compatibility;

namespace Sluice.Cli.Output;

/// <summary>
/// The compatibility report as text. Each finding is one line, <c>file:line:column: construct —
/// advice</c>, under a heading of its own, and each summary line starts with its label, so that
/// scripts can grep any of them alone.
/// </summary>
internal static class CompatibilityOutput
{
    public const string UnsupportedHeading = "Not supported by Sluice:";
    public const string UnreadableHeading = "Files Sluice cannot read:";

    /// <summary>"3 constructs in 2 files".</summary>
    public static string Count(IReadOnlyList<CompatibilityFinding> findings)
    {
        var files = findings.Select(f => f.File).Distinct(StringComparer.Ordinal).Count();
        return $"{findings.Count} construct{(findings.Count == 1 ? "" : "s")} in {files} file{(files == 1 ? "" : "s")}";
    }

    /// <summary>The heading and a line per construct Sluice does not support.</summary>
    public static void WriteUnsupported(TextWriter output, CompatibilityReport report) =>
        WriteSection(output, UnsupportedHeading, report.Unsupported);

    /// <summary>The summary of <c>sluice debug --dbt</c>, one labelled line per fact, then both lists of findings.</summary>
    public static void WriteReport(TextWriter output, CompatibilityReport report, int labelWidth)
    {
        void Show(string label, string value) => output.WriteLine($"{label.PadRight(labelWidth)}{value}");

        foreach (var package in report.Packages)
        {
            Show("package", package.Origin switch
            {
                PackageOrigin.Project => $"{package.Name}: this project, {Macros(package.Macros)}",
                PackageOrigin.Installed => $"{package.Name}: installed in {package.Where}, {Macros(package.Macros)}",
                PackageOrigin.BuiltIn => $"{package.Name}: built into Sluice, {Macros(package.Macros)}",
                _ => $"{package.Name}: missing (declared at {package.Where}): neither installed nor built into Sluice",
            });
        }

        foreach (var macro in report.Overrides)
        {
            Show("override", $"{macro.Name} ({macro.File}): {macro.Effect}");
        }

        foreach (var (space, order) in report.Dispatch.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Show("dispatch", $"{space}: {string.Join(", ", order)}");
        }

        foreach (var ignored in report.Ignored)
        {
            Show("ignored", ignored);
        }

        output.WriteLine();
        WriteSection(output, UnsupportedHeading, report.Unsupported);
        if (report.Unreadable.Count > 0)
        {
            output.WriteLine();
            WriteSection(output, UnreadableHeading, report.Unreadable);
        }
    }

    private static void WriteSection(TextWriter output, string heading, IReadOnlyList<CompatibilityFinding> findings)
    {
        if (findings.Count == 0)
        {
            output.WriteLine($"{heading} none");
            return;
        }

        output.WriteLine(heading);
        foreach (var finding in findings)
        {
            output.WriteLine(finding.ToString());
        }
    }

    private static string Macros(int count) => $"{count} macro{(count == 1 ? "" : "s")}";
}
