using System.Text.RegularExpressions;

namespace Sluice.Core.Templating;

/// <summary>What a stretch of template text is.</summary>
internal enum SegmentKind
{
    Text,
    Output,
    Statement,
}

/// <summary>
/// A stretch of template text: literal text (already trimmed by whitespace control), or a tag
/// whose inside runs from <see cref="InnerStart"/> to <see cref="InnerEnd"/>.
/// </summary>
internal sealed partial record Segment(SegmentKind Kind, int Start, string Text, int InnerStart, int InnerEnd)
{
    /// <summary>Splits a template into text and tags; comments are dropped.</summary>
    public static List<Segment> Split(TemplateSource source)
    {
        var text = source.Text;

        // As Jinja does by default, a single newline at the very end of the template is dropped.
        var limit = text.EndsWith("\r\n", StringComparison.Ordinal) ? text.Length - 2 : text.EndsWith('\n') ? text.Length - 1 : text.Length;
        text = text[..limit];
        var segments = new List<Segment>();
        var position = 0;
        var trimNextText = false;
        while (position < text.Length)
        {
            var open = FindOpening(text, position);
            var literal = text[position..(open < 0 ? text.Length : open)];

            // Where the kept text starts: a source map places its characters from there.
            var literalStart = position;
            if (trimNextText)
            {
                var trimmed = literal.TrimStart();
                literalStart += literal.Length - trimmed.Length;
                literal = trimmed;
            }

            if (open < 0)
            {
                segments.Add(new Segment(SegmentKind.Text, literalStart, literal, 0, 0));
                break;
            }

            var marker = text[open + 1];
            var trimBefore = open + 2 < text.Length && text[open + 2] == '-';
            if (trimBefore)
            {
                literal = literal.TrimEnd();
            }

            segments.Add(new Segment(SegmentKind.Text, literalStart, literal, 0, 0));
            var closing = marker switch { '{' => "}}", '%' => "%}", _ => "#}" };
            var innerStart = open + (trimBefore ? 3 : 2);
            var close = marker == '#' ? text.IndexOf(closing, innerStart, StringComparison.Ordinal) : FindClosing(text, innerStart, closing);
            if (close < 0)
            {
                var what = marker switch { '{' => "'{{'", '%' => "'{%'", _ => "comment '{#'" };
                throw source.Error(open, $"{what} is not closed: add '{closing}'");
            }

            trimNextText = close > innerStart && text[close - 1] == '-';
            var innerEnd = trimNextText ? close - 1 : close;
            if (marker == '%' && text.AsSpan(innerStart, innerEnd - innerStart).Trim().SequenceEqual("raw"))
            {
                position = AddRaw(source, text, open, close + 2, trimNextText, segments, out trimNextText);
                continue;
            }

            if (marker != '#')
            {
                segments.Add(new Segment(marker == '{' ? SegmentKind.Output : SegmentKind.Statement, open, "", innerStart, innerEnd));
            }

            position = close + 2;
        }

        return segments;
    }

    // The text of {% raw %}…{% endraw %} is copied as it is, tags and all; returns where the
    // text after {% endraw %} starts.
    private static int AddRaw(TemplateSource source, string text, int open, int bodyStart, bool trimStart, List<Segment> segments, out bool trimAfter)
    {
        var end = RawEnd().Match(text, bodyStart);
        if (!end.Success)
        {
            throw source.Error(open, "'{% raw %}' is not closed: add '{% endraw %}'");
        }

        var body = text[bodyStart..end.Index];
        var start = bodyStart;
        if (trimStart)
        {
            var trimmed = body.TrimStart();
            start += body.Length - trimmed.Length;
            body = trimmed;
        }

        if (end.Groups["before"].Success)
        {
            body = body.TrimEnd();
        }

        segments.Add(new Segment(SegmentKind.Text, start, body, 0, 0));
        trimAfter = end.Groups["after"].Success;
        return end.Index + end.Length;
    }

    [GeneratedRegex(@"\{%(?<before>-)?\s*endraw\s*(?<after>-)?%\}")]
    private static partial Regex RawEnd();

    private static int FindOpening(string text, int from)
    {
        for (var i = text.IndexOf('{', from); i >= 0 && i + 1 < text.Length; i = text.IndexOf('{', i + 1))
        {
            if (text[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    // The closing delimiter outside any quoted string and any bracket, as Jinja's lexer finds it,
    // so that '}}' in a string literal, or ending a dict inside a dict ({'a': {'b': 1}}), stays.
    private static int FindClosing(string text, int from, string closing)
    {
        char? quote = null;
        var depth = 0;

        // With brackets left open, the first delimiter is the end, so the expression's parser says what is wrong.
        var first = -1;
        for (var i = from; i + 1 < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == closing[0] && text[i + 1] == closing[1] && depth == 0)
            {
                return i;
            }
            else
            {
                if (first < 0 && c == closing[0] && text[i + 1] == closing[1])
                {
                    first = i;
                }

                if (c is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '}' && depth > 0)
                {
                    depth--;
                }
            }
        }

        return first;
    }
}
