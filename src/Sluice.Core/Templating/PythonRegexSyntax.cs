using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Core.Templating;

/// <summary>
/// Python's regular-expression syntax in .NET's. The two agree on most of it; what differs:
/// <list type="bullet">
/// <item><c>(?P&lt;name&gt;…)</c> and <c>(?P=name)</c> become <c>(?&lt;name&gt;…)</c> and <c>\k&lt;name&gt;</c>.</item>
/// <item>Python numbers groups in the order they open, named or not; .NET numbers unnamed groups
/// first. Every group is therefore given a name, so that .NET numbers them in Python's order;
/// <see cref="PythonRegex.GroupNames"/> keeps the names Python knows.</item>
/// <item><c>\Z</c> (the very end in Python) becomes <c>\z</c>; <c>{,n}</c> becomes <c>{0,n}</c>;
/// <c>\U0001F600</c> becomes the character.</item>
/// <item>Flags written at the start (<c>(?i)</c>, <c>(?x)</c> …) become options; <c>re.ASCII</c>
/// (<c>(?a)</c>) makes <c>\d</c>, <c>\w</c>, <c>\s</c> and their negations ASCII-only, except
/// negated ones inside a character class, which are an error.</item>
/// </list>
/// Left as .NET reads them: <c>\w</c> also matches Unicode connector punctuation and marks,
/// variable-width look-behinds are accepted (Python refuses them), possessive quantifiers
/// (<c>a*+</c>) are not.
/// </summary>
internal static partial class PythonRegexSyntax
{
    public const long IgnoreCase = 2;
    public const long Locale = 4;
    public const long Multiline = 8;
    public const long DotAll = 16;
    public const long Unicode = 32;
    public const long Verbose = 64;
    public const long Ascii = 256;

    /// <summary>The .NET pattern and options of Python's <paramref name="pattern"/> with <paramref name="flags"/>, and the Python name of each group (null when unnamed).</summary>
    public static (string Pattern, RegexOptions Options, IReadOnlyList<string?> Groups) Translate(string pattern, long flags)
    {
        var at = 0;
        flags |= LeadingFlags(pattern, ref at);
        var verbose = (flags & Verbose) != 0;
        var ascii = (flags & Ascii) != 0;
        var groups = new List<string?>();
        var result = new StringBuilder();
        var inClass = false;
        for (var i = at; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i = Escape(pattern, i, inClass, ascii, result);
            }
            else if (inClass)
            {
                result.Append(c);
                inClass = c != ']';
            }
            else if (c == '[')
            {
                result.Append(c);
                inClass = true;

                // A ']' first in a class (after an optional '^') is a literal in both syntaxes.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    result.Append(pattern[++i]);
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    result.Append(@"\]");
                    i++;
                }
            }
            else if (verbose && c == '#')
            {
                // A comment runs to the end of the line; a '(' in it opens no group.
                var end = pattern.IndexOf('\n', i);
                i = end < 0 ? pattern.Length : end - 1;
            }
            else if (c == '(')
            {
                i = Group(pattern, i, groups, result);
            }
            else if (c == '{' && i + 1 < pattern.Length && pattern[i + 1] == ',' && MaxOnly().Match(pattern, i) is { Success: true } max && max.Index == i)
            {
                result.Append("{0").Append(max.Value.AsSpan(1));
                i += max.Length - 1;
            }
            else
            {
                result.Append(c);
            }
        }

        var options = RegexOptions.CultureInvariant
            | ((flags & IgnoreCase) != 0 ? RegexOptions.IgnoreCase : 0)
            | ((flags & Multiline) != 0 ? RegexOptions.Multiline : 0)
            | ((flags & DotAll) != 0 ? RegexOptions.Singleline : 0)
            | (verbose ? RegexOptions.IgnorePatternWhitespace : 0);
        return (result.ToString(), options, groups);
    }

    // Python's global flags, written as (?aiLmsux) at the start of the pattern.
    private static long LeadingFlags(string pattern, ref int at)
    {
        long flags = 0;
        while (LeadingFlag().Match(pattern, at) is { Success: true } match && match.Index == at)
        {
            foreach (var letter in match.Groups["flags"].Value)
            {
                flags |= letter switch
                {
                    'i' => IgnoreCase,
                    'L' => Locale,
                    'm' => Multiline,
                    's' => DotAll,
                    'u' => Unicode,
                    'x' => Verbose,
                    _ => Ascii,
                };
            }

            at += match.Length;
        }

        return flags;
    }

    private static int Escape(string pattern, int i, bool inClass, bool ascii, StringBuilder result)
    {
        var next = pattern[i + 1];
        switch (next)
        {
            case 'Z' when !inClass:
                result.Append(@"\z");
                return i + 1;
            case 'd' or 'w' or 's' when ascii:
                var set = next switch { 'd' => "0-9", 'w' => "a-zA-Z0-9_", _ => @" \t\n\r\f\v" };
                result.Append(inClass ? set : $"[{set}]");
                return i + 1;
            case 'D' or 'W' or 'S' when ascii && !inClass:
                result.Append(next switch { 'D' => "[^0-9]", 'W' => "[^a-zA-Z0-9_]", _ => @"[^ \t\n\r\f\v]" });
                return i + 1;
            case 'D' or 'W' or 'S' when ascii:
                throw new ArgumentException($"\\{next} inside a character class is not supported with re.ASCII; write the class out, as [^0-9]");
            case 'U' when i + 9 < pattern.Length && int.TryParse(pattern.AsSpan(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                result.Append(Regex.Escape(char.ConvertFromUtf32(code)));
                return i + 9;
            default:
                result.Append('\\').Append(next);
                return i + 1;
        }
    }

    private static int Group(string pattern, int i, List<string?> groups, StringBuilder result)
    {
        if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
        {
            groups.Add(null);
            result.Append(CultureInfo.InvariantCulture, $"(?<{GroupName(groups.Count)}>");
            return i;
        }

        if (NamedGroup().Match(pattern, i) is { Success: true } named && named.Index == i)
        {
            groups.Add(named.Groups["name"].Value);
            result.Append("(?<").Append(named.Groups["name"].Value).Append('>');
            return i + named.Length - 1;
        }

        if (NamedReference().Match(pattern, i) is { Success: true } reference && reference.Index == i)
        {
            result.Append(@"\k<").Append(reference.Groups["name"].Value).Append('>');
            return i + reference.Length - 1;
        }

        result.Append('(');
        return i;
    }

    /// <summary>The .NET name of Python's unnamed group <paramref name="number"/>.</summary>
    public static string GroupName(int number) => "__" + number.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\(\?(?<flags>[aiLmsux]+)\)")]
    private static partial Regex LeadingFlag();

    [GeneratedRegex(@"\(\?P<(?<name>[A-Za-z_][A-Za-z0-9_]*)>")]
    private static partial Regex NamedGroup();

    [GeneratedRegex(@"\(\?P=(?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex NamedReference();

    [GeneratedRegex(@"\{,\d+\}")]
    private static partial Regex MaxOnly();
}
