using System.Text;

namespace Sluice.Core.Templating;

/// <summary>
/// <c>modules.re</c>: <c>match</c>, <c>search</c>, <c>fullmatch</c>, <c>findall</c>,
/// <c>finditer</c>, <c>sub</c>, <c>subn</c>, <c>split</c>, <c>compile</c>, <c>escape</c> and the
/// flags (<c>IGNORECASE</c>/<c>I</c>, <c>MULTILINE</c>/<c>M</c>, <c>DOTALL</c>/<c>S</c>,
/// <c>VERBOSE</c>/<c>X</c>, <c>ASCII</c>/<c>A</c>), which are Python's numbers, so that two are
/// combined with <c>+</c> (Jinja reads <c>|</c> as a filter). Patterns are Python's syntax,
/// translated as <see cref="PythonRegexSyntax"/> describes.
/// </summary>
internal static class TemplateRegex
{
    // re.escape escapes these, as Python 3.7 and later do.
    private const string Special = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";

    public static TemplateModule Module { get; } = new("re", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["compile"] = (TemplateFunction)(call => Pattern(call, 1)),
        ["match"] = (TemplateFunction)(call => Pattern(call, 2).MatchStart(call, PythonRegex.Subject(call, 1))),
        ["search"] = (TemplateFunction)(call => Pattern(call, 2).Search(call, PythonRegex.Subject(call, 1))),
        ["fullmatch"] = (TemplateFunction)(call => Pattern(call, 2).FullMatch(call, PythonRegex.Subject(call, 1))),
        ["findall"] = (TemplateFunction)(call => Pattern(call, 2).FindAll(call, PythonRegex.Subject(call, 1))),
        ["finditer"] = (TemplateFunction)(call => Pattern(call, 2).FindIter(call, PythonRegex.Subject(call, 1))),
        ["sub"] = (TemplateFunction)(call => Pattern(call, 4).Substitute(call, call.Argument(1, "repl"), PythonRegex.Subject(call, 2), call.Integer(3, "count", 0)).Text),
        ["subn"] = (TemplateFunction)(call => Pattern(call, 4).Substitute(call, call.Argument(1, "repl"), PythonRegex.Subject(call, 2), call.Integer(3, "count", 0)).ToList()),
        ["split"] = (TemplateFunction)(call => Pattern(call, 3).Split(call, PythonRegex.Subject(call, 1), call.Integer(2, "maxsplit", 0))),
        ["escape"] = (TemplateFunction)(call => Escape(call.String(0, "pattern"))),
        ["IGNORECASE"] = PythonRegexSyntax.IgnoreCase,
        ["I"] = PythonRegexSyntax.IgnoreCase,
        ["MULTILINE"] = PythonRegexSyntax.Multiline,
        ["M"] = PythonRegexSyntax.Multiline,
        ["DOTALL"] = PythonRegexSyntax.DotAll,
        ["S"] = PythonRegexSyntax.DotAll,
        ["VERBOSE"] = PythonRegexSyntax.Verbose,
        ["X"] = PythonRegexSyntax.Verbose,
        ["ASCII"] = PythonRegexSyntax.Ascii,
        ["A"] = PythonRegexSyntax.Ascii,
        ["UNICODE"] = PythonRegexSyntax.Unicode,
        ["U"] = PythonRegexSyntax.Unicode,
    });

    // The pattern argument (first) as a compiled pattern, with the flags argument at `flagsIndex`.
    private static PythonRegex Pattern(TemplateCall call, int flagsIndex)
    {
        var flags = call.Integer(flagsIndex, "flags", 0);
        return call.Argument(0, "pattern") switch
        {
            PythonRegex compiled when flags == 0 => compiled,
            PythonRegex => throw call.Error($"{call.Name}(): flags cannot be given with a compiled pattern; give them to compile()"),
            string pattern => PythonRegex.Compile(pattern, flags, call),
            var other => throw call.Error($"{call.Name}() needs a pattern string, not {TemplateValues.TypeName(other)}"),
        };
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
