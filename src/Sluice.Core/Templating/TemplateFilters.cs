using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>The filters (<c>x | lower</c>) and tests (<c>x is defined</c>) templates may use.</summary>
internal static class TemplateFilters
{
    private const string Filters = "default (d), join, length (count), lower, replace, string, title, trim, upper";
    private static readonly HashSet<string> Known = ["default", "d", "join", "length", "count", "lower", "replace", "string", "title", "trim", "upper"];
    private const string Tests = "defined, undefined, none, string, number, mapping, iterable";

    /// <summary>Applies the filter <c>filter.Name</c> to <paramref name="target"/>; <paramref name="defined"/> rejects undefined targets.</summary>
    public static object? Apply(TemplateCall filter, object? target, Func<object?, object?> defined)
    {
        var name = filter.Name;
        string Text(int index, string argumentName) => filter.Argument(index, argumentName) as string
            ?? throw filter.Error($"the filter '{name}' needs a string for '{argumentName}'");

        if (!Known.Contains(name))
        {
            throw filter.Error($"unknown filter '{name}' — supported filters are {Filters}");
        }

        if (name is "default" or "d")
        {
            var useOnFalse = TemplateValues.IsTrue(filter.Argument(1, "boolean", false));
            var missing = target is Undefined || (useOnFalse && !TemplateValues.IsTrue(target));
            return missing ? filter.Argument(0, "default_value", "") : target;
        }

        var value = defined(target);
        return name switch
        {
            "lower" => AsText(value).ToLowerInvariant(),
            "upper" => AsText(value).ToUpperInvariant(),
            "title" => Title(AsText(value)),
            "trim" => filter.Positional.Count > 0 ? AsText(value).Trim(Text(0, "chars").ToCharArray()) : AsText(value).Trim(),
            "string" => AsText(value),
            "replace" => AsText(value).Replace(Text(0, "old"), Text(1, "new"), StringComparison.Ordinal),
            "join" => value is IReadOnlyList<object?> items
                ? string.Join(filter.Argument(0, "d", "") as string ?? "", items.Select(TemplateValues.Render))
                : throw filter.Error($"the filter 'join' needs a list, not {TemplateValues.TypeName(value)}"),
            "length" or "count" => value switch
            {
                string text => (long)text.Length,
                IReadOnlyDictionary<string, object?> dict => (long)dict.Count,
                IReadOnlyList<object?> list => (long)list.Count,
                _ => throw filter.Error($"the filter '{name}' needs a string, list or dict, not {TemplateValues.TypeName(value)}"),
            },
            _ => throw new InvalidOperationException($"The filter '{name}' is listed but has no implementation."),
        };

        string AsText(object? v) => TemplateValues.Render(v);
    }

    public static bool Test(string name, object? value, TemplateSource source, int offset) => name switch
    {
        "defined" => value is not Undefined,
        "undefined" => value is Undefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "mapping" => value is IReadOnlyDictionary<string, object?>,
        "iterable" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
        _ => throw source.Error(offset, $"unknown test '{name}' — supported tests are {Tests}"),
    };

    public static string Title(string text) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant());
}
