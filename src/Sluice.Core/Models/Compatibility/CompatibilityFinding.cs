using System.Text.RegularExpressions;
using Sluice.Core.Project;
using Sluice.Core.Templating;

namespace Sluice.Core.Models.Compatibility;

/// <summary>
/// A construct of a project that Sluice does not support: where it is written, what it is, and
/// what to do instead. <see cref="ToString"/> is the report's line for it,
/// <c>models/x.sql:14:9: filter 'slugify' — …</c>, stable for scripts to grep.
/// </summary>
/// <param name="File">The file, relative to the project.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Construct">What is written there, as <c>filter 'slugify'</c> or <c>adapter.get_relations_by_pattern</c>.</param>
/// <param name="Advice">What to do about it.</param>
public sealed partial record CompatibilityFinding(string File, int Line, int Column, string Construct, string Advice)
{
    /// <summary>
    /// True when the file cannot be read at all (it does not parse, it is not UTF-8 text): an
    /// error Sluice stops at with its own message, where the other findings are constructs that
    /// Sluice does not support.
    /// </summary>
    public bool Unreadable { get; init; }

    /// <summary>The report's line: <c>file:line:column: construct — advice</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Construct} — {Advice}";

    /// <summary>A finding at <paramref name="offset"/> of <paramref name="source"/>.</summary>
    internal static CompatibilityFinding At(TemplateSource source, int offset, string construct, string advice)
    {
        var position = source.PositionOf(offset);
        return new CompatibilityFinding(source.File, position.Line, position.Column, construct, advice);
    }

    /// <summary>
    /// A finding for an error Sluice would stop at (a template or file it cannot read), placed
    /// where the error says, else at the start of <paramref name="file"/>.
    /// </summary>
    internal static CompatibilityFinding From(ConfigurationException error, string file)
    {
        if (error is TemplateException template)
        {
            return new CompatibilityFinding(template.File, template.Position.Line, template.Position.Column, "template that does not parse", template.Reason) { Unreadable = true };
        }

        var located = Located().Match(error.Message);
        return located.Success
            ? new CompatibilityFinding(
                located.Groups["file"].Value,
                int.Parse(located.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                located.Groups["column"].Success ? int.Parse(located.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1,
                "file Sluice cannot read",
                located.Groups["reason"].Value) { Unreadable = true }
            : new CompatibilityFinding(file, 1, 1, "file Sluice cannot read", error.Message) { Unreadable = true };
    }

    [GeneratedRegex(@"\A(?<file>[^\s:]+):(?<line>\d+)(?::(?<column>\d+))?:\s*(?<reason>.+)\z", RegexOptions.Singleline)]
    private static partial Regex Located();
}
