using Sluice.Core.Templating;

namespace Sluice.Models.Compile;

/// <summary>Small, comment- and quote-aware edits of SQL text.</summary>
public static class SqlText
{
    /// <summary>
    /// Puts <paramref name="ctes"/> in front of a query: into its own WITH clause when it has one
    /// (after RECURSIVE), else as a new WITH clause — as dbt inlines ephemeral models. The
    /// query and the CTEs keep their source maps; the text added between them has none.
    /// </summary>
    public static RenderedText PrependCtes(RenderedText sql, IReadOnlyList<(string Name, RenderedText Sql)> ctes)
    {
        var text = sql.Text;
        var start = SkipTrivia(text, 0);
        var hasWith = IsWord(text, start, "with");
        var insertAt = start;
        if (hasWith)
        {
            var afterWith = SkipTrivia(text, start + 4);
            insertAt = IsWord(text, afterWith, "recursive") ? SkipTrivia(text, afterWith + 9) : afterWith;
        }

        var result = new RenderedText.Builder().Append(sql.Slice(0, insertAt)).Append(hasWith ? string.Empty : "with ");
        for (var i = 0; i < ctes.Count; i++)
        {
            result.Append(i == 0 ? string.Empty : ",\n").Append($"{ctes[i].Name} as (\n").Append(ctes[i].Sql).Append("\n)");
        }

        return result.Append(hasWith ? ",\n" : "\n").Append(sql.Slice(insertAt)).Build();
    }

    /// <summary>A query without the whitespace around it and its trailing semicolons, as a CTE holds it.</summary>
    public static RenderedText TrimQuery(RenderedText sql)
    {
        var text = sql.Text;
        var start = text.Length - text.TrimStart().Length;
        return sql.Slice(start, text.Trim().TrimEnd(';').Length);
    }

    /// <summary>The SQL without trailing semicolons and whitespace, so that it can be wrapped in a subquery.</summary>
    public static string TrimStatement(string sql)
    {
        var end = sql.Length;
        while (true)
        {
            while (end > 0 && (char.IsWhiteSpace(sql[end - 1]) || sql[end - 1] == ';'))
            {
                end--;
            }

            // A trailing line comment would swallow the closing parenthesis of a wrapper.
            var lineStart = sql.LastIndexOf('\n', Math.Max(0, end - 1)) + 1;
            var comment = IndexOfLineComment(sql, lineStart, end);
            if (comment < 0)
            {
                return sql[..end];
            }

            end = comment;
        }
    }

    /// <summary>True when the SQL, past comments, starts with one of <paramref name="words"/>.</summary>
    public static bool StartsWithWord(string sql, params string[] words)
    {
        var start = SkipTrivia(sql, 0);
        return words.Any(w => IsWord(sql, start, w));
    }

    private static int IndexOfLineComment(string sql, int from, int to)
    {
        var quote = '\0';
        for (var i = from; i < to; i++)
        {
            var c = sql[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '-' && i + 1 < to && sql[i + 1] == '-')
            {
                return i;
            }
        }

        return -1;
    }

    private static int SkipTrivia(string sql, int i)
    {
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]))
            {
                i++;
            }
            else if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool IsWord(string sql, int at, string word) =>
        at + word.Length <= sql.Length
        && string.Compare(sql, at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (at + word.Length == sql.Length || !(char.IsLetterOrDigit(sql[at + word.Length]) || sql[at + word.Length] == '_'));
}
