using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>The filters (<c>x | lower</c>) and tests (<c>x is defined</c>) templates may use: Jinja's and dbt's.</summary>
internal static class TemplateFilters
{
    private static readonly string[] Known =
    [
        "abs", "as_bool", "as_native", "as_number", "as_text", "attr", "batch", "capitalize", "count", "d", "default", "dictsort",
        "first", "float", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
        "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string", "sum", "title",
        "tojson", "trim", "unique", "upper", "wordcount",
    ];

    private static readonly string[] Tests =
    [
        "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "even", "false", "float", "ge", "gt", "in", "integer",
        "iterable", "le", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "true",
        "undefined", "upper",
    ];

    private static readonly HashSet<string> KnownFilters = [.. Known];

    /// <summary>The filters templates may use.</summary>
    public static IReadOnlyList<string> FilterNames => Known;

    /// <summary>The tests (<c>x is defined</c>) templates may use.</summary>
    public static IReadOnlyList<string> TestNames => Tests;

    /// <summary>Applies the filter <c>filter.Name</c> to <paramref name="target"/>; <paramref name="defined"/> rejects undefined targets.</summary>
    public static object? Apply(TemplateCall filter, object? target, Func<object?, object?> defined)
    {
        var name = filter.Name;
        if (!KnownFilters.Contains(name))
        {
            throw filter.Error($"unknown filter '{name}' — supported filters are {string.Join(", ", Known)}");
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
            "lower" => Text(value).ToLowerInvariant(),
            "upper" => Text(value).ToUpperInvariant(),
            "title" => Title(Text(value)),
            "capitalize" => Text(value) is { Length: > 0 } t ? char.ToUpperInvariant(t[0]) + t[1..].ToLowerInvariant() : "",
            "trim" => filter.Positional.Count > 0 ? Text(value).Trim(String(filter, 0, "chars").ToCharArray()) : Text(value).Trim(),
            "string" or "as_text" or "safe" => name == "safe" ? value : Text(value),
            "replace" => Text(value).Replace(String(filter, 0, "old"), String(filter, 1, "new"), StringComparison.Ordinal),
            "join" => string.Join(filter.Argument(0, "d", "") as string ?? "", Items(filter, value).Select(item => TemplateValues.Render(Attribute(filter, item, filter.Named.GetValueOrDefault("attribute"))))),
            "length" or "count" => value switch
            {
                string text => (long)text.Length,
                IReadOnlyDictionary<string, object?> dict => (long)dict.Count,
                IReadOnlyList<object?> list => (long)list.Count,
                _ => throw filter.Error($"the filter '{name}' needs a string, list or dict, not {TemplateValues.TypeName(value)}"),
            },
            "wordcount" => (long)Text(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
            "indent" => Indent(Text(value), filter.Argument(0, "width", 4L) is long width ? (int)width : 4, TemplateValues.IsTrue(filter.Argument(1, "first", false))),
            "format" => TemplateFormat.Percent(Text(value), filter.Positional.Count == 1 ? filter.Positional[0] : filter.Positional.ToList(), filter.Source, filter.Offset),
            "abs" => value switch { long l => Math.Abs(l), double d => (object)Math.Abs(d), _ => throw filter.Error($"the filter 'abs' needs a number, not {TemplateValues.TypeName(value)}") },
            "int" => ToInteger(value, filter.Argument(0, "default", 0L)),
            "float" => ToFloat(value, filter.Argument(0, "default", 0.0)),
            "round" => Round(filter, value),
            "as_bool" => value is string b && bool.TryParse(b, out var parsed) ? parsed : value,
            "as_number" => value is string n ? ToNumber(n) ?? value : value,
            "as_native" => value is string native ? Native(native) : value,
            "tojson" => TemplateJson.Serialize(value, TemplateValues.IsTrue(filter.Named.GetValueOrDefault("sort_keys"))),
            "list" => value switch
            {
                string text => text.Select(c => (object?)c.ToString()).ToList(),
                IReadOnlyDictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
                _ => Items(filter, value).ToList(),
            },
            "items" => value is IReadOnlyDictionary<string, object?> pairs
                ? pairs.Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList()
                : throw filter.Error($"the filter 'items' needs a dict, not {TemplateValues.TypeName(value)}"),
            "dictsort" => value is IReadOnlyDictionary<string, object?> sorted
                ? sorted.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase).Select(e => (object?)new List<object?> { e.Key, e.Value }).ToList()
                : throw filter.Error($"the filter 'dictsort' needs a dict, not {TemplateValues.TypeName(value)}"),
            "first" => Items(filter, value) is { Count: > 0 } head ? head[0] : new Undefined("the first item of an empty list", filter.Offset),
            "last" => Items(filter, value) is { Count: > 0 } tail ? tail[^1] : new Undefined("the last item of an empty list", filter.Offset),
            "reverse" => value is string reversed ? new string(reversed.Reverse().ToArray()) : Items(filter, value).AsEnumerable().Reverse().ToList(),
            "unique" => Unique(Items(filter, value)),
            "sort" => Sort(filter, Items(filter, value)),
            "sum" => Sum(filter, Items(filter, value)),
            "min" or "max" => Extreme(filter, Items(filter, value), name == "max"),
            "batch" => Items(filter, value).Chunk(filter.Argument(0, "linecount") is long size and > 0 ? (int)size : throw filter.Error("the filter 'batch' needs a positive size")).Select(c => (object?)c.ToList()).ToList(),
            "attr" => Attribute(filter, value, filter.Argument(0, "name")),
            "map" => Map(filter, Items(filter, value)),
            "select" or "reject" => Items(filter, value).Where(item => Passes(filter, item, 0) == (name == "select")).ToList(),
            "selectattr" or "rejectattr" => Items(filter, value).Where(item => Passes(filter, Attribute(filter, item, filter.Argument(0, "attribute")), 1) == (name == "selectattr")).ToList(),
            _ => throw new InvalidOperationException($"The filter '{name}' is listed but has no implementation."),
        };
    }

    /// <summary>Whether <paramref name="value"/> passes the test <paramref name="name"/>; <paramref name="argument"/> is <see cref="TemplateValues.Missing"/> when none is given.</summary>
    public static bool Test(string name, object? value, object? argument, TemplateSource source, int offset)
    {
        object? Argument() => argument != TemplateValues.Missing ? argument : throw source.Error(offset, $"the test '{name}' needs a value to compare with, as 'is {name}(3)'");
        int Order() => TemplateValues.Compare(value, Argument()) ?? throw source.Error(offset, $"the test '{name}' cannot compare {TemplateValues.TypeName(value)} with {TemplateValues.TypeName(argument)}");
        return name switch
        {
            "defined" => value is not Undefined,
            "undefined" => value is Undefined,
            "none" => value is null,
            "string" => value is string,
            "number" => value is long or double,
            "integer" => value is long,
            "float" => value is double,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "mapping" => value is IReadOnlyDictionary<string, object?>,
            "sequence" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
            "iterable" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
            "callable" => value is TemplateFunction or MacroValue,
            "lower" => value is string lower && lower == lower.ToLowerInvariant(),
            "upper" => value is string upper && upper == upper.ToUpperInvariant(),
            "odd" => value is long odd ? odd % 2 != 0 : throw source.Error(offset, "the test 'odd' needs an integer"),
            "even" => value is long even ? even % 2 == 0 : throw source.Error(offset, "the test 'even' needs an integer"),
            "divisibleby" => value is long dividend && Argument() is long divisor and not 0 ? dividend % divisor == 0 : throw source.Error(offset, "the test 'divisibleby' needs two integers, the second not zero"),
            "eq" or "equalto" => TemplateValues.AreEqual(value, Argument()),
            "ne" => !TemplateValues.AreEqual(value, Argument()),
            "sameas" => ReferenceEquals(value, Argument()) || (value is null or bool && Equals(value, argument)),
            "gt" => Order() > 0,
            "ge" => Order() >= 0,
            "lt" => Order() < 0,
            "le" => Order() <= 0,
            "in" => Argument() switch
            {
                string text => value is string part && text.Contains(part, StringComparison.Ordinal),
                IReadOnlyDictionary<string, object?> dict => value is string key && dict.ContainsKey(key),
                IReadOnlyList<object?> list => list.Any(item => TemplateValues.AreEqual(item, value)),
                _ => throw source.Error(offset, $"the test 'in' needs a list, dict or string, not {TemplateValues.TypeName(argument)}"),
            },
            _ => throw source.Error(offset, $"unknown test '{name}' — supported tests are {string.Join(", ", Tests)}"),
        };
    }

    public static string Title(string text) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.ToLowerInvariant());

    private static string Text(object? value) => TemplateValues.Render(value);

    private static string String(TemplateCall filter, int index, string argumentName) => filter.Argument(index, argumentName) as string
        ?? throw filter.Error($"the filter '{filter.Name}' needs a string for '{argumentName}'");

    private static IReadOnlyList<object?> Items(TemplateCall filter, object? value) => value switch
    {
        IReadOnlyList<object?> list => list,
        IReadOnlyDictionary<string, object?> dict => dict.Keys.Cast<object?>().ToList(),
        string text => text.Select(c => (object?)c.ToString()).ToList(),
        _ => throw filter.Error($"the filter '{filter.Name}' needs a list, not {TemplateValues.TypeName(value)}"),
    };

    // An item's attribute or key, as filters with attribute= read it; dotted names go deeper.
    private static object? Attribute(TemplateCall filter, object? item, object? attribute)
    {
        if (attribute is null)
        {
            return item;
        }

        foreach (var part in TemplateValues.Render(attribute).Split('.'))
        {
            item = item switch
            {
                IReadOnlyDictionary<string, object?> dict => dict.TryGetValue(part, out var value) ? value : null,
                IReadOnlyList<object?> list when int.TryParse(part, CultureInfo.InvariantCulture, out var index) && index < list.Count => list[index],
                ITemplateObject host => host.Attribute(part) is var value && value == TemplateValues.Missing ? null : value,
                _ => throw filter.Error($"{TemplateValues.TypeName(item)} has no attribute '{part}'"),
            };
        }

        return item;
    }

    // select('odd'), reject('equalto', 3), selectattr('name', 'in', [...]): the test name is at `at`.
    private static bool Passes(TemplateCall filter, object? value, int at)
    {
        if (filter.Positional.Count <= at)
        {
            return TemplateValues.IsTrue(value);
        }

        var test = filter.Positional[at] as string ?? throw filter.Error($"the filter '{filter.Name}' needs a test's name");
        var argument = filter.Positional.Count > at + 1 ? filter.Positional[at + 1] : TemplateValues.Missing;
        return Test(test, value, argument, filter.Source, filter.Offset);
    }

    private static List<object?> Map(TemplateCall filter, IReadOnlyList<object?> items)
    {
        if (filter.Named.TryGetValue("attribute", out var attribute))
        {
            return [.. items.Select(item => Attribute(filter, item, attribute) ?? filter.Named.GetValueOrDefault("default"))];
        }

        var name = filter.Positional.Count > 0 && filter.Positional[0] is string filterName ? filterName : throw filter.Error("the filter 'map' needs a filter's name, as map('lower'), or attribute='name'");
        var inner = new TemplateCall(name, [.. filter.Positional.Skip(1)], new Dictionary<string, object?>(), filter.Source, filter.Offset);
        return [.. items.Select(item => Apply(inner, item, v => v))];
    }

    private static List<object?> Unique(IReadOnlyList<object?> items)
    {
        var result = new List<object?>();
        foreach (var item in items)
        {
            if (!result.Any(seen => TemplateValues.AreEqual(seen, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Sort(TemplateCall filter, IReadOnlyList<object?> items)
    {
        var reverse = TemplateValues.IsTrue(filter.Argument(0, "reverse", false));
        var caseSensitive = TemplateValues.IsTrue(filter.Argument(1, "case_sensitive", false));
        var attribute = filter.Argument(2, "attribute");
        object? Key(object? item)
        {
            var key = Attribute(filter, item, attribute);
            return key is string text && !caseSensitive ? text.ToLowerInvariant() : key;
        }

        var sorted = items.Select(item => (Item: item, Key: Key(item))).ToList();
        sorted.Sort((a, b) => TemplateValues.Compare(a.Key, b.Key) ?? throw filter.Error($"the filter 'sort' cannot compare {TemplateValues.TypeName(a.Key)} with {TemplateValues.TypeName(b.Key)}"));
        if (reverse)
        {
            sorted.Reverse();
        }

        return [.. sorted.Select(s => s.Item)];
    }

    private static object Sum(TemplateCall filter, IReadOnlyList<object?> items)
    {
        object total = filter.Argument(1, "start", 0L) ?? 0L;
        foreach (var item in items.Select(i => Attribute(filter, i, filter.Named.GetValueOrDefault("attribute"))))
        {
            total = (total, item) switch
            {
                (long a, long b) => a + b,
                (long or double, long or double) => TemplateValues.ToDouble(total) + TemplateValues.ToDouble(item),
                _ => throw filter.Error($"the filter 'sum' needs numbers, not {TemplateValues.TypeName(item)}"),
            };
        }

        return total;
    }

    private static object? Extreme(TemplateCall filter, IReadOnlyList<object?> items, bool max)
    {
        if (items.Count == 0)
        {
            return new Undefined($"the {filter.Name} of an empty list", filter.Offset);
        }

        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var order = TemplateValues.Compare(item, best) ?? throw filter.Error($"the filter '{filter.Name}' cannot compare {TemplateValues.TypeName(item)} with {TemplateValues.TypeName(best)}");
            if (max ? order > 0 : order < 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static object Round(TemplateCall filter, object? value)
    {
        var number = value is long or double ? TemplateValues.ToDouble(value) : throw filter.Error($"the filter 'round' needs a number, not {TemplateValues.TypeName(value)}");
        var precision = filter.Argument(0, "precision", 0L) is long p ? (int)p : 0;
        var method = filter.Argument(1, "method", "common") as string;
        var scale = Math.Pow(10, precision);
        return method switch
        {
            "ceil" => Math.Ceiling(number * scale) / scale,
            "floor" => Math.Floor(number * scale) / scale,
            _ => Math.Round(number, precision, MidpointRounding.AwayFromZero),
        };
    }

    private static object? ToInteger(object? value, object? fallback) => value switch
    {
        long l => l,
        double d => (long)Math.Truncate(d),
        bool b => b ? 1L : 0L,
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => (long)Math.Truncate(parsed),
        _ => fallback,
    };

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        long or double => TemplateValues.ToDouble(value),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => fallback,
    };

    // Each branch boxed on its own: a conditional of long and double would make every result a double.
    private static object? ToNumber(string text) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? (object)whole
        : double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? (object)real
        : null;

    // dbt's as_native: the Python literal a string spells (True, 3, [1, 2]), or the string itself.
    private static object? Native(string text)
    {
        var trimmed = text.Trim();
        if (trimmed is "True" or "False")
        {
            return trimmed == "True";
        }

        if (trimmed == "None")
        {
            return null;
        }

        if (ToNumber(trimmed) is { } number)
        {
            return number;
        }

        if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
        {
            try
            {
                var source = new TemplateSource("<as_native>", trimmed);
                var parser = new ExpressionParser(source, ExpressionTokens.Read(source, 0, trimmed.Length));
                var expression = parser.Parse();
                if (parser.AtEnd)
                {
                    return Literal(expression);
                }
            }
            catch (TemplateException)
            {
                return text;
            }
        }

        return text;
    }

    private static object? Literal(Expression expression) => expression switch
    {
        LiteralExpression literal => literal.Value,
        ListExpression list => list.Items.Select(Literal).ToList(),
        DictExpression dict => dict.Entries.ToDictionary(e => TemplateValues.Render(Literal(e.Key)), e => Literal(e.Value), StringComparer.Ordinal),
        UnaryExpression { Operator: "-", Operand: LiteralExpression { Value: long l } } => -l,
        UnaryExpression { Operator: "-", Operand: LiteralExpression { Value: double d } } => -d,
        _ => throw new TemplateException("<as_native>", new TextPosition(1, 1), "not a literal"),
    };

    private static string Indent(string text, int width, bool first)
    {
        var pad = new string(' ', width);
        var lines = text.Split('\n');
        return string.Join("\n", lines.Select((line, i) => (i > 0 || first) && line.Length > 0 ? pad + line : line));
    }
}
