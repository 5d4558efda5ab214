namespace Sluice.Core.Templating;

/// <summary>A stretch of rendered text and the place in a template it came from.</summary>
/// <param name="Start">Where the stretch starts in the rendered text.</param>
/// <param name="Length">How long it is.</param>
/// <param name="Source">The template it came from.</param>
/// <param name="SourceOffset">Where in the template: the first character of copied text, or the <c>{{</c> of the expression that rendered it.</param>
/// <param name="Copied">True when the stretch is the template's own text, character for character; false when an expression rendered it.</param>
public readonly record struct SourceSpan(int Start, int Length, TemplateSource Source, int SourceOffset, bool Copied)
{
    /// <summary>Where the stretch ends in the rendered text (exclusive).</summary>
    public int End => Start + Length;
}

/// <summary>The place in a template that a character of rendered text came from.</summary>
/// <param name="File">The template's file.</param>
/// <param name="Position">The character's own line and column when <paramref name="Copied"/>, else those of the expression that rendered it.</param>
/// <param name="Copied">True when the character is the template's own text.</param>
public sealed record SourceLocation(string File, TextPosition Position, bool Copied);

/// <summary>
/// Where each stretch of a rendering came from, so that a place in the rendered text (an
/// engine's syntax error in compiled SQL) can be shown at the line the user wrote, however many
/// lines the template's tags and loops added or took away. Text the renderer did not take from
/// a template (SQL that Sluice wraps around it) has no place.
/// </summary>
public sealed class SourceMap
{
    private readonly SourceSpan[] _spans;

    /// <summary>Creates a map from spans in order of <see cref="SourceSpan.Start"/>, none overlapping.</summary>
    public SourceMap(IEnumerable<SourceSpan> spans) => _spans = [.. spans.Where(s => s.Length > 0)];

    /// <summary>A map that places nothing.</summary>
    public static SourceMap Empty { get; } = new([]);

    /// <summary>The spans, in order.</summary>
    public IReadOnlyList<SourceSpan> Spans => _spans;

    /// <summary>
    /// Where the character at <paramref name="offset"/> of the rendered text came from; the end
    /// of the last span counts as its own (engines place "end of input" there). Null when the
    /// character came from no template.
    /// </summary>
    public SourceLocation? Locate(int offset)
    {
        var index = Array.FindLastIndex(_spans, s => s.Start <= offset);
        if (index < 0)
        {
            return null;
        }

        var span = _spans[index];
        if (offset >= span.End && !(offset == span.End && index == _spans.Length - 1))
        {
            return null;
        }

        return span.Copied
            ? new SourceLocation(span.Source.File, span.Source.PositionOf(span.SourceOffset + (offset - span.Start)), true)
            : new SourceLocation(span.Source.File, span.Source.PositionOf(span.SourceOffset), false);
    }

    /// <summary>The map of the text from <paramref name="start"/>, <paramref name="length"/> characters long, as if that text were the whole.</summary>
    public SourceMap Slice(int start, int length)
    {
        var end = start + length;
        var spans = new List<SourceSpan>();
        foreach (var span in _spans)
        {
            var from = Math.Max(span.Start, start);
            var to = Math.Min(span.End, end);
            if (from < to)
            {
                var skipped = span.Copied ? from - span.Start : 0;
                spans.Add(span with { Start = from - start, Length = to - from, SourceOffset = span.SourceOffset + skipped });
            }
        }

        return new SourceMap(spans);
    }

    /// <summary>The map with every span moved by <paramref name="distance"/> characters.</summary>
    public SourceMap Shift(int distance) => new(_spans.Select(s => s with { Start = s.Start + distance }));
}
