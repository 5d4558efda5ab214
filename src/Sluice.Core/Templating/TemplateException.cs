using Sluice.Core.Project;

namespace Sluice.Core.Templating;

/// <summary>
/// A template that cannot be parsed or rendered: the message starts with the file, line and
/// column at fault, as <c>models/marts/x.sql:14:9: unknown filter 'slugify' — …</c>.
/// </summary>
public sealed class TemplateException(string file, TextPosition position, string reason)
    : ConfigurationException($"{file}:{position.Line}:{position.Column}: {reason}")
{
    /// <summary>The template's file, as the user knows it (relative to the project).</summary>
    public string File { get; } = file;

    /// <summary>Where in the file the fault is.</summary>
    public TextPosition Position { get; } = position;

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; } = reason;

    /// <summary>The macro calls under way where the error happened, outermost first; null outside macros.</summary>
    internal IReadOnlyList<MacroCallSite>? CallTrace { get; set; }
}

/// <summary>A macro call under way: which macro, called from where.</summary>
/// <param name="Macro">The macro's display name.</param>
/// <param name="File">The file of the call.</param>
/// <param name="Position">Where in it.</param>
internal readonly record struct MacroCallSite(string Macro, string File, TextPosition Position);

/// <summary>A 1-based line and column in a template's text.</summary>
public readonly record struct TextPosition(int Line, int Column);
