using System.Globalization;
using System.Text;
using Sluice.DuckDb;

namespace Sluice.Warehouses.ClickHouse;

/// <summary>
/// What Sluice does to SQL before ClickHouse's HTTP interface gets it: a script is cut into its
/// statements (the interface takes one per request), and the positional parameters <c>$1</c>,
/// <c>$2</c>, … become literals, since servers before 19.x take no query parameters. Quotes and
/// comments are respected, so a <c>$1</c> or <c>;</c> inside a string stays text.
/// </summary>
internal static class ClickHouseSql
{
    /// <summary>The statements of a script, without empty ones.</summary>
    public static IReadOnlyList<string> Statements(string sql)
    {
        var statements = new List<string>();
        var start = 0;
        Scan(sql, (index, _) =>
        {
            if (sql[index] == ';')
            {
                Add(sql[start..index]);
                start = index + 1;
            }
        });
        Add(sql[start..]);
        return statements;

        void Add(string statement)
        {
            if (!IsBlank(statement))
            {
                statements.Add(statement.Trim());
            }
        }
    }

    /// <summary>The SQL with each <c>$n</c> outside quotes and comments replaced by the literal of parameter n.</summary>
    public static string Bind(string sql, IReadOnlyList<object?>? parameters)
    {
        if (parameters is null || parameters.Count == 0 || !sql.Contains('$', StringComparison.Ordinal))
        {
            return sql;
        }

        var bound = new StringBuilder(sql.Length + 64);
        var copied = 0;
        Scan(sql, (index, _) =>
        {
            if (sql[index] != '$' || index + 1 >= sql.Length || !char.IsAsciiDigit(sql[index + 1]) || index < copied)
            {
                return;
            }

            var end = index + 1;
            while (end < sql.Length && char.IsAsciiDigit(sql[end]))
            {
                end++;
            }

            var number = int.Parse(sql.AsSpan(index + 1, end - index - 1), CultureInfo.InvariantCulture);
            if (number < 1 || number > parameters.Count)
            {
                throw new ArgumentException($"The SQL uses ${number}, but {parameters.Count} parameter(s) were given.", nameof(parameters));
            }

            bound.Append(sql, copied, index - copied).Append(Literal(parameters[number - 1]));
            copied = end;
        });
        return bound.Append(sql, copied, sql.Length - copied).ToString();
    }

    /// <summary>
    /// The SQL with the words of the shared dialect that ClickHouse spells otherwise replaced,
    /// outside quotes and comments: <c>true</c> and <c>false</c> (1 and 0), <c>current_timestamp</c>
    /// (now()), <c>current_date</c> (the UTC day) and typed literals (<c>date '…'</c>, <c>timestamp '…'</c> in UTC).
    /// </summary>
    public static string Translate(string sql)
    {
        var translated = new StringBuilder(sql.Length);
        var copied = 0;
        Scan(sql, (index, c) =>
        {
            if (index < copied || !char.IsAsciiLetter(c) || (index > 0 && IsWordCharacter(sql[index - 1])))
            {
                return;
            }

            var end = index;
            while (end < sql.Length && IsWordCharacter(sql[end]))
            {
                end++;
            }

            var word = sql.AsSpan(index, end - index);
            if (word.Equals("date", StringComparison.OrdinalIgnoreCase) || word.Equals("timestamp", StringComparison.OrdinalIgnoreCase))
            {
                // A typed literal, date '2024-01-01', is toDate('2024-01-01') to ClickHouse.
                var quote = end;
                while (quote < sql.Length && char.IsWhiteSpace(sql[quote]))
                {
                    quote++;
                }

                if (quote < sql.Length && sql[quote] == '\'')
                {
                    var closed = SkipQuoted(sql, quote, '\'');
                    // A timestamp literal is UTC wall-clock time, as Sluice stores every timestamp.
                    var isDate = word.Equals("date", StringComparison.OrdinalIgnoreCase);
                    translated.Append(sql, copied, index - copied).Append(isDate ? "toDate(" : "toDateTime(").Append(sql, quote, closed - quote).Append(isDate ? ")" : ", 'UTC')");
                    copied = closed;
                    return;
                }
            }

            var replacement = word switch
            {
                var w when w.Equals("true", StringComparison.OrdinalIgnoreCase) => "1",
                var w when w.Equals("false", StringComparison.OrdinalIgnoreCase) => "0",
                var w when w.Equals("current_timestamp", StringComparison.OrdinalIgnoreCase) => "now()",
                var w when w.Equals("current_date", StringComparison.OrdinalIgnoreCase) => "toDate(now(), 'UTC')",
                _ => null,
            };
            if (replacement is not null)
            {
                translated.Append(sql, copied, index - copied).Append(replacement);
            }
            else
            {
                translated.Append(sql, copied, end - copied);
            }

            copied = end;
        });
        return copied == 0 ? sql : translated.Append(sql, copied, sql.Length - copied).ToString();
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>
    /// Where the first <paramref name="word"/> outside parentheses, quotes and comments starts
    /// (case-insensitive, as a whole word), or -1.
    /// </summary>
    public static int TopLevelWord(string sql, string word)
    {
        var depth = 0;
        var found = -1;
        Scan(sql, (index, c) =>
        {
            if (found >= 0)
            {
                return;
            }

            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0
                && index + word.Length <= sql.Length
                && sql.AsSpan(index, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
                && (index == 0 || !IsWordCharacter(sql[index - 1]))
                && (index + word.Length == sql.Length || !IsWordCharacter(sql[index + word.Length])))
            {
                found = index;
            }
        });
        return found;
    }

    /// <summary>A ClickHouse literal for a value.</summary>
    public static string Literal(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "1" : "0",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        sbyte or byte or short or ushort or int or uint or long or ulong or Int128 => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        float f => Float(f),
        double d => Float(d),
        decimal m => DecimalLiteral(m),
        DateOnly d => $"toDate('{d:yyyy-MM-dd}')",
        DateTime t => Time(ToUtc(t)),
        DateTimeOffset t => Time(t.UtcDateTime),
        TimeOnly t => Quote(t.ToString("HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture)),
        TimeSpan t => Quote(t.ToString("c", CultureInfo.InvariantCulture)),
        // As text, which ClickHouse turns into a UUID where one is compared or inserted: 18.16
        // reads toUUID(…) in IN lists and VALUES as a UInt128 and refuses it.
        Guid g => Quote(g.ToString("D")),
        byte[] bytes => $"unhex('{Convert.ToHexString(bytes)}')",
        DuckDbInterval i => Quote(i.ToString()),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    // A time DateTime holds is a DateTime literal. One outside its range (a bound such as
    // since=2999-01-01) would wrap around as a DateTime; as seconds since 1970, a number that
    // ClickHouse compares with a DateTime, it keeps its order.
    private static string Time(DateTime utc) => utc >= DateTime.UnixEpoch && utc < LatestTime
        ? $"toDateTime('{utc:yyyy-MM-dd HH:mm:ss}', 'UTC')"
        : ((long)Math.Floor((utc - DateTime.UnixEpoch).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static readonly DateTime LatestTime = new(2106, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A string literal: backslashes and quotes escaped with a backslash, as ClickHouse reads them.</summary>
    public static string Quote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>A wall-clock or unspecified time is taken as UTC, as the warehouse stores every timestamp.</summary>
    public static DateTime ToUtc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);

    private static string Float(double value) => double.IsNaN(value) ? "nan"
        : double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E')) ? text : text + ".0";

    // A bare 1.5 is a Float64 to ClickHouse, which will not compare it with a Decimal column.
    private static string DecimalLiteral(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var scale = point < 0 ? 0 : text.Length - point - 1;
        return $"toDecimal128('{text}', {scale})";
    }

    private static bool IsBlank(string statement)
    {
        var blank = true;
        Scan(statement, (index, _) => blank &= char.IsWhiteSpace(statement[index]));
        return blank;
    }

    /// <summary>Calls <paramref name="visit"/> for each character that is code: outside quotes and comments.</summary>
    private static void Scan(string sql, Action<int, char> visit)
    {
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(sql, i, c);
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else
            {
                visit(i, c);
                i++;
            }
        }
    }

    private static int SkipQuoted(string sql, int start, char quote)
    {
        var i = start + 1;
        while (i < sql.Length)
        {
            if (sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }
}
