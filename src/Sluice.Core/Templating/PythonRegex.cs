using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sluice.Core.Templating;

/// <summary>
/// A compiled Python pattern, what <c>modules.re.compile()</c> returns: <c>match</c>,
/// <c>search</c>, <c>fullmatch</c>, <c>findall</c>, <c>finditer</c>, <c>sub</c>, <c>subn</c>,
/// <c>split</c>, and <c>pattern</c>, <c>flags</c>, <c>groups</c>. Patterns are cached, as Python's
/// <c>re</c> caches them, and each match is limited in time so that a pattern that backtracks
/// without end fails instead of hanging the run.
/// </summary>
public sealed class PythonRegex : ITemplateObject
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<(string, long), PythonRegex> Cache = new();
    private readonly Regex _search;
    private readonly Regex _match;
    private readonly Regex _fullMatch;

    private PythonRegex(string pattern, long flags)
    {
        Pattern = pattern;
        Flags = flags;
        var (translated, options, groups) = PythonRegexSyntax.Translate(pattern, flags);
        GroupNames = groups;

        // A newline before the closing ')' ends a verbose pattern's trailing comment.
        var close = (options & RegexOptions.IgnorePatternWhitespace) != 0 ? "\n)" : ")";
        _search = new Regex(translated, options, MatchTimeout);
        _match = new Regex(@"\G(?:" + translated + close, options, MatchTimeout);
        _fullMatch = new Regex(@"\G(?:" + translated + close + @"\z", options, MatchTimeout);
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Python's flags (<c>re.IGNORECASE</c> is 2).</summary>
    public long Flags { get; }

    /// <summary>The Python name of each group, in Python's numbering from 1; null for an unnamed group.</summary>
    public IReadOnlyList<string?> GroupNames { get; }

    /// <summary>The pattern <paramref name="pattern"/> with <paramref name="flags"/>, or the call's error when it is not a valid pattern.</summary>
    internal static PythonRegex Compile(string pattern, long flags, TemplateCall call)
    {
        if (Cache.TryGetValue((pattern, flags), out var cached))
        {
            return cached;
        }

        try
        {
            if (Cache.Count > 500)
            {
                Cache.Clear();
            }

            return Cache[(pattern, flags)] = new PythonRegex(pattern, flags);
        }
        catch (ArgumentException error)
        {
            throw call.Error($"{call.Name}(): {TemplateValues.Repr(pattern)} is not a pattern Sluice can read: {error.Message}");
        }
    }

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "pattern" => Pattern,
        "flags" => Flags,
        "groups" => (long)GroupNames.Count,
        "match" => (TemplateFunction)(call => Match(call, _match, Subject(call, 0), call.Integer(1, "pos", 0))),
        "search" => (TemplateFunction)(call => Match(call, _search, Subject(call, 0), call.Integer(1, "pos", 0))),
        "fullmatch" => (TemplateFunction)(call => Match(call, _fullMatch, Subject(call, 0), call.Integer(1, "pos", 0))),
        "findall" => (TemplateFunction)(call => FindAll(call, Subject(call, 0))),
        "finditer" => (TemplateFunction)(call => FindIter(call, Subject(call, 0))),
        "sub" => (TemplateFunction)(call => Substitute(call, call.Argument(0, "repl"), Subject(call, 1), call.Integer(2, "count", 0)).Text),
        "subn" => (TemplateFunction)(call => Substitute(call, call.Argument(0, "repl"), Subject(call, 1), call.Integer(2, "count", 0)).ToList()),
        "split" => (TemplateFunction)(call => Split(call, Subject(call, 0), call.Integer(1, "maxsplit", 0))),
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"re.compile({TemplateValues.Repr(Pattern)})";

    /// <summary>Group <paramref name="number"/>'s .NET name: Python's name, or the one the translation gave it.</summary>
    internal string NetName(int number) => GroupNames[number - 1] ?? PythonRegexSyntax.GroupName(number);

    internal object? Match(TemplateCall call, Regex regex, string text, long position)
    {
        var start = (int)Math.Clamp(position, 0, text.Length);
        return Run(call, () => regex.Match(text, start) is { Success: true } match ? new PythonMatch(this, match) : null);
    }

    internal object? Search(TemplateCall call, string text) => Match(call, _search, text, 0);

    internal object? MatchStart(TemplateCall call, string text) => Match(call, _match, text, 0);

    internal object? FullMatch(TemplateCall call, string text) => Match(call, _fullMatch, text, 0);

    internal List<object?> FindIter(TemplateCall call, string text) =>
        Run(call, () => _search.Matches(text).Select(m => (object?)new PythonMatch(this, m)).ToList());

    // findall: the whole matches, or group 1's text, or a tuple of the groups' texts ('' for a group that took no part).
    internal List<object?> FindAll(TemplateCall call, string text) => Run(call, () => _search.Matches(text).Select(m => GroupNames.Count switch
    {
        0 => m.Value,
        1 => (object?)m.Groups[NetName(1)].Value,
        _ => Enumerable.Range(1, GroupNames.Count).Select(g => (object?)m.Groups[NetName(g)].Value).ToList(),
    }).ToList());

    // split: the pieces between matches, each match's groups among them (None for a group that took no part).
    internal List<object?> Split(TemplateCall call, string text, long maxSplit) => Run(call, () =>
    {
        var pieces = new List<object?>();
        var last = 0;
        var splits = 0L;
        foreach (Match match in _search.Matches(text))
        {
            if (maxSplit > 0 && splits++ >= maxSplit)
            {
                break;
            }

            pieces.Add(text[last..match.Index]);
            pieces.AddRange(Enumerable.Range(1, GroupNames.Count).Select(g => match.Groups[NetName(g)] is { Success: true } group ? (object?)group.Value : null));
            last = match.Index + match.Length;
        }

        pieces.Add(text[last..]);
        return pieces;
    });

    internal SubstitutionResult Substitute(TemplateCall call, object? replacement, string text, long count)
    {
        if (replacement is not string template)
        {
            throw call.Error($"{call.Name}(): the replacement must be a string, as '\\1-\\g<name>', not {TemplateValues.TypeName(replacement)}");
        }

        var made = 0L;
        var result = Run(call, () => _search.Replace(text, match => { made++; return Expand(call, template, match); }, count > 0 ? (int)Math.Min(count, int.MaxValue) : -1));
        return new SubstitutionResult(result, made);
    }

    /// <summary>What <c>sub</c> made, and how many replacements; <c>subn</c> returns both.</summary>
    internal readonly record struct SubstitutionResult(string Text, long Count)
    {
        public List<object?> ToList() => [Text, Count];
    }

    internal static T Run<T>(TemplateCall call, Func<T> match)
    {
        try
        {
            return match();
        }
        catch (RegexMatchTimeoutException)
        {
            throw call.Error($"{call.Name}(): the pattern took more than {MatchTimeout.TotalSeconds:0} seconds on this text; it backtracks too much — simplify it (avoid nested repeats such as (a+)+)");
        }
    }

    internal static string Subject(TemplateCall call, int index) => call.Argument(index, "string") as string
        ?? throw call.Error($"{call.Name}() needs a string to match, not {TemplateValues.TypeName(call.Argument(index, "string"))}");

    // Python's replacement template: \1 … \99, \g<1>, \g<name>, the escapes \n \t \r \f \v \a \b \\; a group that took no part is ''.
    private string Expand(TemplateCall call, string template, Match match)
    {
        string Group(string reference)
        {
            var number = int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            if (number == 0)
            {
                return match.Value;
            }

            var name = number > 0 && number <= GroupNames.Count ? NetName(number) : number < 0 && GroupNames.Contains(reference) ? reference : null;
            return name is null ? throw call.Error($"{call.Name}(): invalid group reference '{reference}' in the replacement; the pattern has {GroupNames.Count} group(s)") : match.Groups[name].Value;
        }

        var result = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '\\' || i + 1 == template.Length)
            {
                result.Append(template[i]);
                continue;
            }

            var next = template[++i];
            if (char.IsAsciiDigit(next))
            {
                var digits = i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]) ? template.Substring(i++, 2) : next.ToString();
                result.Append(Group(digits));
            }
            else if (next == 'g' && i + 1 < template.Length && template[i + 1] == '<' && template.IndexOf('>', i) is var close and > 0)
            {
                result.Append(Group(template[(i + 2)..close]));
                i = close;
            }
            else
            {
                result.Append(next switch
                {
                    'n' => "\n",
                    't' => "\t",
                    'r' => "\r",
                    'f' => "\f",
                    'v' => "\v",
                    'a' => "\a",
                    'b' => "\b",
                    '\\' => "\\",
                    _ when char.IsAsciiLetter(next) => throw call.Error($"{call.Name}(): bad escape \\{next} in the replacement"),
                    _ => "\\" + next,
                });
            }
        }

        return result.ToString();
    }
}

/// <summary>
/// A match, what <c>re.match</c> and <c>re.search</c> return (they return None when nothing
/// matches): <c>group(…)</c>, <c>groups()</c>, <c>groupdict()</c>, <c>start()</c>, <c>end()</c>,
/// <c>span()</c>, <c>string</c>; groups are numbered and named as in Python.
/// </summary>
public sealed class PythonMatch : ITemplateObject
{
    private readonly PythonRegex _pattern;
    private readonly Match _match;

    internal PythonMatch(PythonRegex pattern, Match match)
    {
        _pattern = pattern;
        _match = match;
    }

    /// <inheritdoc />
    public object? Attribute(string name) => name switch
    {
        "group" => (TemplateFunction)(call => call.Positional.Count <= 1
            ? Text(call, call.Positional.Count == 0 ? 0L : call.Positional[0], null)
            : call.Positional.Select(g => Text(call, g, null)).ToList()),
        "groups" => (TemplateFunction)(call => Enumerable.Range(1, _pattern.GroupNames.Count).Select(g => Text(call, (long)g, call.Argument(0, "default"))).ToList()),
        "groupdict" => (TemplateFunction)(call => _pattern.GroupNames.OfType<string>().ToDictionary(n => n, n => Text(call, n, call.Argument(0, "default")), StringComparer.Ordinal)),
        "start" => (TemplateFunction)(call => Group(call, call.Argument(0, "group", 0L)) is { Success: true } g ? (long)g.Index : -1L),
        "end" => (TemplateFunction)(call => Group(call, call.Argument(0, "group", 0L)) is { Success: true } g ? (long)(g.Index + g.Length) : -1L),
        "span" => (TemplateFunction)(call => Group(call, call.Argument(0, "group", 0L)) is { Success: true } g ? new List<object?> { (long)g.Index, (long)(g.Index + g.Length) } : new List<object?> { -1L, -1L }),
        "string" => _match.Result("$_"),
        "re" => _pattern,
        _ => TemplateValues.Missing,
    };

    /// <inheritdoc />
    public string Render() => $"<re.Match object; span=({_match.Index}, {_match.Index + _match.Length}), match={TemplateValues.Repr(_match.Value)}>";

    private object? Text(TemplateCall call, object? group, object? fallback) => Group(call, group) is { Success: true } g ? g.Value : fallback;

    private Group Group(TemplateCall call, object? group) => group switch
    {
        0L => _match,
        long n when n > 0 && n <= _pattern.GroupNames.Count => _match.Groups[_pattern.NetName((int)n)],
        string name when _pattern.GroupNames.Contains(name) => _match.Groups[name],
        _ => throw call.Error($"{call.Name}(): no such group {TemplateValues.Repr(group)}; the pattern has {_pattern.GroupNames.Count} group(s){(_pattern.GroupNames.OfType<string>().Any() ? ", named " + string.Join(", ", _pattern.GroupNames.OfType<string>()) : "")}"),
    };
}
