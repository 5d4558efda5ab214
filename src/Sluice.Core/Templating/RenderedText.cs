using System.Text;

namespace Sluice.Core.Templating;

/// <summary>Text a template rendered, with the map of where each stretch came from.</summary>
/// <param name="Text">The text.</param>
/// <param name="Map">Where its stretches came from.</param>
public sealed record RenderedText(string Text, SourceMap Map)
{
    /// <summary>Text that came from no template.</summary>
    public static RenderedText Unmapped(string text) => new(text, SourceMap.Empty);

    /// <summary>The part from <paramref name="start"/>, <paramref name="length"/> characters long, with its part of the map.</summary>
    public RenderedText Slice(int start, int length) => new(Text.Substring(start, length), Map.Slice(start, length));

    /// <summary>The part from <paramref name="start"/> to the end.</summary>
    public RenderedText Slice(int start) => Slice(start, Text.Length - start);

    /// <summary>Joins pieces of mapped and unmapped text into one, keeping each piece's map.</summary>
    public sealed class Builder
    {
        private readonly StringBuilder _text = new();
        private readonly List<SourceSpan> _spans = [];

        /// <summary>Appends text that came from no template.</summary>
        public Builder Append(string text)
        {
            _text.Append(text);
            return this;
        }

        /// <summary>Appends rendered text with its map.</summary>
        public Builder Append(RenderedText text)
        {
            _spans.AddRange(text.Map.Shift(_text.Length).Spans);
            _text.Append(text.Text);
            return this;
        }

        /// <summary>The joined text.</summary>
        public RenderedText Build() => new(_text.ToString(), new SourceMap(_spans));
    }
}
