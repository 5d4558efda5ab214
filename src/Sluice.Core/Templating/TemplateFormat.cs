using System.Globalization;
using System.Text;

namespace Sluice.Core.Templating;

/// <summary>Python's string formatting as macros use it: <c>'{} {name}'.format(…)</c> and <c>'%s' % value</c>.</summary>
internal static class TemplateFormat
{
    /// <summary><c>text.format(arguments, named)</c>: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, with <c>{{</c> and <c>}}</c> as braces.</summary>
    public static string Format(string text, IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> named, TemplateSource source, int offset)
    {
        var result = new StringBuilder();
        var next = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{' || c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                result.Append(c);
                i++;
                continue;
            }

            if (c != '{')
            {
                result.Append(c);
                continue;
            }

            var close = text.IndexOf('}', i);
            if (close < 0)
            {
                throw source.Error(offset, "format(): a '{' is not closed");
            }

            var field = text[(i + 1)..close];
            var spec = field.IndexOf(':', StringComparison.Ordinal);
            var (key, format) = spec < 0 ? (field, "") : (field[..spec], field[(spec + 1)..]);
            object? value;
            if (key.Length == 0)
            {
                value = next < arguments.Count ? arguments[next++] : throw source.Error(offset, "format(): more '{}' fields than arguments");
            }
            else if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                value = index < arguments.Count ? arguments[index] : throw source.Error(offset, $"format(): no argument {index}");
            }
            else
            {
                value = named.TryGetValue(key, out var found) ? found : throw source.Error(offset, $"format(): no argument named '{key}'");
            }

            result.Append(Field(value, format));
            i = close;
        }

        return result.ToString();
    }

    /// <summary><c>text % values</c>: <c>%s</c>, <c>%d</c>, <c>%f</c> (with a precision), <c>%%</c>.</summary>
    public static string Percent(string text, object? values, TemplateSource source, int offset)
    {
        var items = values as IReadOnlyList<object?> ?? [values];
        var result = new StringBuilder();
        var next = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                result.Append(text[i]);
                continue;
            }

            var end = i + 1;
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or '-'))
            {
                end++;
            }

            if (end >= text.Length)
            {
                throw source.Error(offset, "'%' formatting: the text ends inside a '%' field");
            }

            var kind = text[end];
            if (kind == '%')
            {
                result.Append('%');
                i = end;
                continue;
            }

            var value = next < items.Count ? items[next++] : throw source.Error(offset, "'%' formatting: more fields than values");
            var precision = text[(i + 1)..end];
            result.Append(kind switch
            {
                's' or 'r' => kind == 's' ? TemplateValues.Render(value) : TemplateValues.Repr(value),
                'd' or 'i' => value is long or double ? ((long)TemplateValues.ToDouble(value)).ToString(CultureInfo.InvariantCulture) : throw source.Error(offset, $"'%{kind}' needs a number, not {TemplateValues.TypeName(value)}"),
                'f' => value is long or double ? Field(value, precision.Length > 0 ? precision + "f" : ".6f") : throw source.Error(offset, $"'%f' needs a number, not {TemplateValues.TypeName(value)}"),
                _ => throw source.Error(offset, $"'%{kind}' formatting is not supported; use %s, %d or %f"),
            });
            i = end;
        }

        return next < items.Count && values is IReadOnlyList<object?>
            ? throw source.Error(offset, "'%' formatting: more values than fields")
            : result.ToString();
    }

    // A format spec's common forms: ".2f", "d", ">10" are read; anything else writes the value plainly.
    private static string Field(object? value, string format)
    {
        if (format.Length > 1 && format[0] == '.' && format[^1] == 'f' && value is long or double
            && int.TryParse(format[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
        {
            return TemplateValues.ToDouble(value).ToString("F" + digits, CultureInfo.InvariantCulture);
        }

        return TemplateValues.Render(value);
    }
}
