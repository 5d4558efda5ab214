namespace Sluice.Core.Templating;

/// <summary>Attributes, indexes and the string and dict methods that dbt projects use.</summary>
internal static class TemplateMembers
{
    private const string StringMethods = "lower, upper, title, capitalize, strip, lstrip, rstrip, replace, startswith, endswith, split, join, format, find, count, isdigit, isalpha, isalnum, isupper, islower, zfill";
    private const string DictMethods = "items, keys, values, get, copy, update, pop, setdefault";
    private const string ListMethods = "append, extend, insert, pop, remove, index, count, reverse, copy";

    /// <summary>The methods strings have.</summary>
    public static IReadOnlyList<string> StringMethodNames { get; } = StringMethods.Split(", ");

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

        return target switch
        {
            IReadOnlyDictionary<string, object?> => new Undefined($"key '{name}'", offset),
            ITemplateObject host => throw source.Error(offset, host.MissingAttribute(name)),
            _ => throw source.Error(offset, $"{TemplateValues.TypeName(target)} has no attribute '{name}'"),
        };
    }

    public static object? Index(object? target, object? index, TemplateSource source, int offset)
    {
        switch (target, index)
        {
            case (IReadOnlyDictionary<string, object?> dict, _):
                var key = TemplateValues.Key(index);
                return dict.TryGetValue(key, out var value) ? value : new Undefined($"key '{key}'", offset);
            case (IReadOnlyList<object?> list, long position):
                var at = position < 0 ? list.Count + position : position;
                return at >= 0 && at < list.Count ? list[(int)at] : throw source.Error(offset, $"index {position} is outside the list of {list.Count}");
            case (string text, long position):
                var character = position < 0 ? text.Length + position : position;
                return character >= 0 && character < text.Length ? text[(int)character].ToString() : throw source.Error(offset, $"index {position} is outside the string of {text.Length}");
            case (ITemplateObject host, string name):
                var attribute = host.Attribute(name);
                return attribute == TemplateValues.Missing ? new Undefined($"key '{name}'", offset) : attribute;
            default:
                throw source.Error(offset, $"cannot index {TemplateValues.TypeName(target)} with {TemplateValues.TypeName(index)}");
        }
    }

    /// <summary>Python's <c>target[start:stop:step]</c> on a list or a string.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step, TemplateSource source, int offset)
    {
        long? Bound(object? value, string what) => value switch
        {
            null => null,
            long l => l,
            _ => throw source.Error(offset, $"a slice's {what} must be an integer, not {TemplateValues.TypeName(value)}"),
        };

        var by = Bound(step, "step") ?? 1;
        if (by == 0)
        {
            throw source.Error(offset, "a slice's step cannot be zero");
        }

        var length = target switch
        {
            string text => text.Length,
            IReadOnlyList<object?> list => list.Count,
            _ => throw source.Error(offset, $"cannot slice {TemplateValues.TypeName(target)}"),
        };

        long Clamp(long? value, long fallback)
        {
            if (value is not { } v)
            {
                return fallback;
            }

            var at = v < 0 ? v + length : v;
            return by > 0 ? Math.Clamp(at, 0, length) : Math.Clamp(at, -1, length - 1);
        }

        var from = Clamp(Bound(start, "start"), by > 0 ? 0 : length - 1);
        var to = Clamp(Bound(stop, "stop"), by > 0 ? length : -1);
        var indexes = new List<int>();
        for (var i = from; by > 0 ? i < to : i > to; i += by)
        {
            indexes.Add((int)i);
        }

        return target is string s
            ? string.Concat(indexes.Select(i => s[i]))
            : indexes.Select(i => ((IReadOnlyList<object?>)target!)[i]).ToList();
    }

    public static object? CallMethod(object? target, string name, IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> named, TemplateSource source, int offset)
    {
        string Text(int index) => index < arguments.Count && arguments[index] is string s
            ? s
            : throw source.Error(offset, $"{name}() needs a string argument {index + 1}");

        switch (target)
        {
            case string text:
                return StringMethod(text, name, arguments, named, Text, source, offset);
            case IReadOnlyDictionary<string, object?> dict:
                return DictMethod(dict, name, arguments, Text, source, offset);
            case IReadOnlyList<object?> list:
                return ListMethod(list, name, arguments, source, offset);
            default:
                throw source.Error(offset, $"{TemplateValues.TypeName(target)} has no method '{name}'");
        }
    }

    private static object? StringMethod(string text, string name, IReadOnlyList<object?> arguments, IReadOnlyDictionary<string, object?> named, Func<int, string> argument, TemplateSource source, int offset) => name switch
    {
        "lower" => text.ToLowerInvariant(),
        "upper" => text.ToUpperInvariant(),
        "title" => TemplateFilters.Title(text),
        "capitalize" => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant(),
        "strip" => arguments.Count > 0 ? text.Trim(argument(0).ToCharArray()) : text.Trim(),
        "lstrip" => arguments.Count > 0 ? text.TrimStart(argument(0).ToCharArray()) : text.TrimStart(),
        "rstrip" => arguments.Count > 0 ? text.TrimEnd(argument(0).ToCharArray()) : text.TrimEnd(),
        "replace" => text.Replace(argument(0), argument(1), StringComparison.Ordinal),
        "startswith" => text.StartsWith(argument(0), StringComparison.Ordinal),
        "endswith" => text.EndsWith(argument(0), StringComparison.Ordinal),
        "split" => (arguments.Count > 0 && arguments[0] is not null ? text.Split(argument(0)) : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Cast<object?>().ToList(),
        "join" => arguments.Count == 1 && arguments[0] is IReadOnlyList<object?> items
            ? string.Join(text, items.Select(TemplateValues.Render))
            : throw source.Error(offset, "join() needs a list, as ', '.join(columns)"),
        "format" => TemplateFormat.Format(text, arguments, named, source, offset),
        "find" => (long)text.IndexOf(argument(0), StringComparison.Ordinal),
        "count" => (long)(text.Length - text.Replace(argument(0), "", StringComparison.Ordinal).Length) / Math.Max(1, argument(0).Length),
        "isdigit" => text.Length > 0 && text.All(char.IsAsciiDigit),
        "isalpha" => text.Length > 0 && text.All(char.IsLetter),
        "isalnum" => text.Length > 0 && text.All(char.IsLetterOrDigit),
        "isupper" => text.Any(char.IsLetter) && !text.Any(char.IsLower),
        "islower" => text.Any(char.IsLetter) && !text.Any(char.IsUpper),
        "zfill" => arguments.Count == 1 && arguments[0] is long width ? text.PadLeft((int)width, '0') : throw source.Error(offset, "zfill() needs a width"),
        _ => throw source.Error(offset, $"unsupported string method '{name}' — supported: {StringMethods}"),
    };

    private static object? DictMethod(IReadOnlyDictionary<string, object?> dict, string name, IReadOnlyList<object?> arguments, Func<int, string> argument, TemplateSource source, int offset)
    {
        var mutable = dict as IDictionary<string, object?>;
        IDictionary<string, object?> Mutable() => mutable ?? throw source.Error(offset, $"this dict cannot be changed; copy it first with dict.copy() before calling {name}()");
        switch (name)
        {
            case "items":
                return dict.Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList();
            case "keys":
                return dict.Keys.Cast<object?>().ToList();
            case "values":
                return dict.Values.ToList();
            case "get":
                return dict.TryGetValue(TemplateValues.Key(arguments.Count > 0 ? arguments[0] : throw source.Error(offset, "get() needs a key")), out var value) ? value : arguments.Count > 1 ? arguments[1] : null;
            case "copy":
                return dict.ToDictionary(StringComparer.Ordinal);
            case "update":
                foreach (var (key, item) in arguments.Count == 1 && arguments[0] is IReadOnlyDictionary<string, object?> other ? other : throw source.Error(offset, "update() needs a dict"))
                {
                    Mutable()[key] = item;
                }

                return string.Empty;
            case "pop":
                var key0 = argument(0);
                if (dict.TryGetValue(key0, out var popped))
                {
                    Mutable().Remove(key0);
                    return popped;
                }

                return arguments.Count > 1 ? arguments[1] : throw source.Error(offset, $"pop(): the dict has no key '{key0}'");
            case "setdefault":
                var key1 = argument(0);
                if (!dict.TryGetValue(key1, out var existing))
                {
                    existing = arguments.Count > 1 ? arguments[1] : null;
                    Mutable()[key1] = existing;
                }

                return existing;
            default:
                throw source.Error(offset, $"unsupported dict method '{name}' — supported: {DictMethods}");
        }
    }

    private static object? ListMethod(IReadOnlyList<object?> list, string name, IReadOnlyList<object?> arguments, TemplateSource source, int offset)
    {
        IList<object?> Mutable() => list as IList<object?> is { IsReadOnly: false } mutable
            ? mutable
            : throw source.Error(offset, $"this list cannot be changed; copy it first with list | list before calling {name}()");
        object? Argument(int index) => index < arguments.Count ? arguments[index] : throw source.Error(offset, $"{name}() needs an argument {index + 1}");
        switch (name)
        {
            case "append":
                Mutable().Add(Argument(0));
                return string.Empty;
            case "extend":
                foreach (var item in Argument(0) as IReadOnlyList<object?> ?? throw source.Error(offset, "extend() needs a list"))
                {
                    Mutable().Add(item);
                }

                return string.Empty;
            case "insert":
                Mutable().Insert(Argument(0) is long at ? (int)Math.Clamp(at < 0 ? at + list.Count : at, 0, list.Count) : throw source.Error(offset, "insert() needs a position"), Argument(1));
                return string.Empty;
            case "pop":
                if (list.Count == 0)
                {
                    throw source.Error(offset, "pop() from an empty list");
                }

                var index = arguments.Count > 0 && arguments[0] is long i ? (int)(i < 0 ? i + list.Count : i) : list.Count - 1;
                var popped = list[index];
                Mutable().RemoveAt(index);
                return popped;
            case "remove":
                var found = IndexOf(list, Argument(0));
                if (found < 0)
                {
                    throw source.Error(offset, $"remove(): {TemplateValues.Repr(Argument(0))} is not in the list");
                }

                Mutable().RemoveAt(found);
                return string.Empty;
            case "index":
                var position = IndexOf(list, Argument(0));
                return position >= 0 ? (long)position : throw source.Error(offset, $"index(): {TemplateValues.Repr(Argument(0))} is not in the list");
            case "count":
                return (long)list.Count(item => TemplateValues.AreEqual(item, Argument(0)));
            case "reverse":
                var reversed = list.Reverse().ToList();
                var target = Mutable();
                target.Clear();
                reversed.ForEach(target.Add);
                return string.Empty;
            case "copy":
                return list.ToList();
            default:
                throw source.Error(offset, $"unsupported list method '{name}' — supported: {ListMethods}");
        }
    }

    private static int IndexOf(IReadOnlyList<object?> list, object? item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (TemplateValues.AreEqual(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }
}
