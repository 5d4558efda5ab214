using System.Text;

namespace Sluice.Server.Jobs;

/// <summary>
/// A thread-safe writer that keeps the first <see cref="Max"/> characters of what a job writes
/// and, past them, ends its text with <see cref="Marker"/>: a build that logs a huge error on
/// every partition must not fill the server's memory, and a reader must see that text is missing.
/// </summary>
internal sealed class CappedWriter : TextWriter
{
    /// <summary>
    /// How many characters are kept: 1 MiB of the ASCII that commands write. Counted in
    /// characters, as the text is held, rather than in the bytes of an encoding.
    /// </summary>
    public const int Max = 1 << 20;

    /// <summary>What ends a cut text.</summary>
    public const string Marker = "\n[output cut: the job wrote more than 1 MiB; only the first 1 MiB is kept]\n";

    private readonly StringBuilder _text = new();
    private bool _cut;

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _cut ? _text + Marker : _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_text)
        {
            if (_text.Length < Max)
            {
                _text.Append(value);
            }
            else
            {
                _cut = true;
            }
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_text)
        {
            var room = Max - _text.Length;
            _text.Append(buffer[..Math.Min(room, buffer.Length)]);
            _cut |= buffer.Length > room;
        }
    }
}
