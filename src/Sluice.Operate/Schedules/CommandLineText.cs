using System.Text;

namespace Sluice.Operate.Schedules;

/// <summary>
/// Splits a command line written in YAML into words as a POSIX shell would for plain words and
/// quotes: blanks separate words, <c>'…'</c> keeps everything, <c>"…"</c> keeps everything but
/// <c>\"</c> and <c>\\</c>. No variables, globs or pipes: a schedule runs sluice, not a shell.
/// </summary>
public static class CommandLineText
{
    /// <summary>The words of <paramref name="text"/>; null with <paramref name="problem"/> set when a quote is not closed.</summary>
    public static IReadOnlyList<string>? Split(string text, out string? problem)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        problem = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is '\'' or '"')
            {
                var close = c == '\'' ? text.IndexOf('\'', i + 1) : ClosingDoubleQuote(text, i + 1);
                if (close < 0)
                {
                    problem = $"the quote {c} at character {i + 1} is not closed";
                    return null;
                }

                var quoted = text[(i + 1)..close];
                word.Append(c == '"' ? quoted.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : quoted);
                i = close;
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static int ClosingDoubleQuote(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }
}
