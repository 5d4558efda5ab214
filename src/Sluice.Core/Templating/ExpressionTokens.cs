using System.Globalization;
using System.Text;

namespace Sluice.Core.Templating;

/// <summary>The kinds of token inside a tag.</summary>
public enum TokenKind
{
    /// <summary>A name or keyword.</summary>
    Name,

    /// <summary>A quoted string.</summary>
    String,

    /// <summary>An integer or decimal number.</summary>
    Number,

    /// <summary>An operator or punctuation.</summary>
    Symbol,

    /// <summary>The end of the tag.</summary>
    End,
}

/// <summary>One token; <see cref="Value"/> is the decoded string or number for literals.</summary>
public readonly record struct Token(TokenKind Kind, string Text, object? Value, int Offset)
{
    /// <summary>True for the symbol or name <paramref name="text"/>.</summary>
    public bool Is(string text) => Kind is TokenKind.Symbol or TokenKind.Name && Text == text;
}

/// <summary>Splits the inside of a <c>{{ }}</c> or <c>{% %}</c> tag into tokens.</summary>
public static class ExpressionTokens
{
    // Longest first, so that "//" wins over "/" and "==" over "=".
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "//", "**", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "~", "+", "-", "*", "/", "%", "<", ">", "="];

    /// <summary>Tokens of <paramref name="source"/>'s text from <paramref name="start"/> up to <paramref name="end"/>.</summary>
    public static List<Token> Read(TemplateSource source, int start, int end)
    {
        var text = source.Text;
        var tokens = new List<Token>();
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var from = i;
                while (i < end && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var name = text[from..i];
                tokens.Add(new Token(TokenKind.Name, name, name, from));
            }
            else if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i, end));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(source, ref i, end));
            }
            else
            {
                var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0 && i + s.Length <= end)
                    ?? throw source.Error(i, $"unexpected character '{c}' in an expression");
                tokens.Add(new Token(TokenKind.Symbol, symbol, null, i));
                i += symbol.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, "end of tag", null, end));
        return tokens;
    }

    private static Token ReadNumber(string text, ref int i, int end)
    {
        var from = i;
        while (i < end && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        var isDecimal = i + 1 < end && text[i] == '.' && char.IsAsciiDigit(text[i + 1]);
        if (isDecimal)
        {
            i++;
            while (i < end && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        var digits = text[from..i].Replace("_", "", StringComparison.Ordinal);
        var value = isDecimal
            ? (object)double.Parse(digits, CultureInfo.InvariantCulture)
            : long.Parse(digits, CultureInfo.InvariantCulture);
        return new Token(TokenKind.Number, text[from..i], value, from);
    }

    private static Token ReadString(TemplateSource source, ref int i, int end)
    {
        var text = source.Text;
        var from = i;
        var quote = text[i++];
        var value = new StringBuilder();
        while (true)
        {
            if (i >= end)
            {
                throw source.Error(from, "a string is not closed: add the matching quote");
            }

            var c = text[i++];
            if (c == quote)
            {
                break;
            }

            if (c == '\\' && i < end)
            {
                // As in Python, an escape it does not know keeps its backslash ('\d+' stays a regex).
                var next = text[i++];
                switch (next)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case '\\' or '\'' or '"': value.Append(next); break;
                    default: value.Append('\\').Append(next); break;
                }
            }
            else
            {
                value.Append(c);
            }
        }

        return new Token(TokenKind.String, text[from..i], value.ToString(), from);
    }
}
