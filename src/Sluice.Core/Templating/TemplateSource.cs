namespace Sluice.Core.Templating;

/// <summary>A template's text and the name of its file, turning offsets into lines and columns.</summary>
public sealed class TemplateSource
{
    private readonly int[] _lineStarts;

    /// <summary>Wraps <paramref name="text"/>, read from <paramref name="file"/>.</summary>
    public TemplateSource(string file, string text)
    {
        File = file;
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <summary>The file name used in messages.</summary>
    public string File { get; }

    /// <summary>The whole template.</summary>
    public string Text { get; }

    /// <summary>The line and column of a character offset.</summary>
    public TextPosition PositionOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new TextPosition(line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>An error located at <paramref name="offset"/>.</summary>
    public TemplateException Error(int offset, string reason) => new(File, PositionOf(offset), reason);
}
