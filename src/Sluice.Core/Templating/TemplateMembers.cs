namespace Sluice.Core.Templating;

/// <summary>Attributes, indexes and the string and dict methods that dbt projects use.</summary>
internal static class TemplateMembers
{
    private const string StringMethods = "lower, upper, strip, lstrip, rstrip, replace, startswith, endswith, split, title";
    private const string DictMethods = "items, keys, values, get";

    public static object? Attribute(object? target, string name, TemplateSource source, int offset, bool allowMissing = false)
    {
        var value = target switch
        {
            ITemplateObject host => host.Attribute(name),
            IReadOnlyDictionary<string, object?> dict when dict.TryGetValue(name, out var entry) => entry,
            _ => TemplateValues.Missing,
        };

        if (value != TemplateValues.Missing || allowMissing)
        {
            return value == TemplateValues.Missing ? null : value;
        }

        return target is IReadOnlyDictionary<string, object?>
            ? new Undefined($"key '{name}'", offset)
            : throw source.Error(offset, $"{TemplateValues.TypeName(target)} has no attribute '{name}'");
    }

    public static object? Index(object? target, object? index, TemplateSource source, int offset)
    {
        switch (target, index)
        {
            case (IReadOnlyDictionary<string, object?> dict, string key):
                return dict.TryGetValue(key, out var value) ? value : new Undefined($"key '{key}'", offset);
            case (IReadOnlyList<object?> list, long position):
                var at = position < 0 ? list.Count + position : position;
                return at >= 0 && at < list.Count ? list[(int)at] : throw source.Error(offset, $"index {position} is outside the list of {list.Count}");
            case (string text, long position):
                var character = position < 0 ? text.Length + position : position;
                return character >= 0 && character < text.Length ? text[(int)character].ToString() : throw source.Error(offset, $"index {position} is outside the string of {text.Length}");
            case (ITemplateObject host, string key):
                var attribute = host.Attribute(key);
                return attribute == TemplateValues.Missing ? new Undefined($"key '{key}'", offset) : attribute;
            default:
                throw source.Error(offset, $"cannot index {TemplateValues.TypeName(target)} with {TemplateValues.TypeName(index)}");
        }
    }

    public static object? CallMethod(object? target, string name, IReadOnlyList<object?> arguments, TemplateSource source, int offset)
    {
        string Text(int index) => index < arguments.Count && arguments[index] is string s
            ? s
            : throw source.Error(offset, $"{name}() needs a string argument {index + 1}");

        switch (target)
        {
            case string text:
                return name switch
                {
                    "lower" => text.ToLowerInvariant(),
                    "upper" => text.ToUpperInvariant(),
                    "title" => TemplateFilters.Title(text),
                    "strip" => arguments.Count > 0 ? text.Trim(Text(0).ToCharArray()) : text.Trim(),
                    "lstrip" => arguments.Count > 0 ? text.TrimStart(Text(0).ToCharArray()) : text.TrimStart(),
                    "rstrip" => arguments.Count > 0 ? text.TrimEnd(Text(0).ToCharArray()) : text.TrimEnd(),
                    "replace" => text.Replace(Text(0), Text(1), StringComparison.Ordinal),
                    "startswith" => text.StartsWith(Text(0), StringComparison.Ordinal),
                    "endswith" => text.EndsWith(Text(0), StringComparison.Ordinal),
                    "split" => (arguments.Count > 0 ? text.Split(Text(0)) : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Cast<object?>().ToList(),
                    _ => throw source.Error(offset, $"unsupported string method '{name}' — supported: {StringMethods}"),
                };
            case IReadOnlyDictionary<string, object?> dict:
                return name switch
                {
                    "items" => dict.Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList(),
                    "keys" => dict.Keys.Cast<object?>().ToList(),
                    "values" => dict.Values.ToList(),
                    "get" => dict.TryGetValue(Text(0), out var value) ? value : arguments.Count > 1 ? arguments[1] : null,
                    _ => throw source.Error(offset, $"unsupported dict method '{name}' — supported: {DictMethods}"),
                };
            default:
                throw source.Error(offset, $"{TemplateValues.TypeName(target)} has no method '{name}'");
        }
    }
}
