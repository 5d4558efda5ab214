namespace Sluice.Core.Templating;

/// <summary>Reading the arguments of a module function as Python would bind them, with errors naming the function.</summary>
internal static class ModuleArguments
{
    /// <summary>An integer argument, or <paramref name="fallback"/> when it is not given (null makes it required).</summary>
    public static long Integer(this TemplateCall call, int index, string name, long? fallback = null) => call.Argument(index, name, TemplateValues.Missing) switch
    {
        long value => value,
        bool flag => flag ? 1 : 0,
        var missing when missing == TemplateValues.Missing && fallback is { } given => given,
        var missing when missing == TemplateValues.Missing => throw call.Error($"{call.Name}() needs the argument '{name}'"),
        var other => throw call.Error($"{call.Name}(): '{name}' must be an integer, not {TemplateValues.TypeName(other)}"),
    };

    /// <summary>A number argument (integer or float), or <paramref name="fallback"/>.</summary>
    public static double Number(this TemplateCall call, int index, string name, double fallback) => call.Argument(index, name, TemplateValues.Missing) switch
    {
        var value when value is long or double => TemplateValues.ToDouble(value),
        var missing when missing == TemplateValues.Missing => fallback,
        var other => throw call.Error($"{call.Name}(): '{name}' must be a number, not {TemplateValues.TypeName(other)}"),
    };

    /// <summary>The items of an iterable argument value: a list, a string's characters or a dict's keys.</summary>
    public static IReadOnlyList<object?> Items(this TemplateCall call, object? value, string what) => value switch
    {
        IReadOnlyList<object?> list => list,
        string text => [.. text.Select(c => (object?)c.ToString())],
        IReadOnlyDictionary<string, object?> dict => [.. dict.Keys],
        _ => throw call.Error($"{call.Name}(): {what} must be a list, string or dict, not {TemplateValues.TypeName(value)}"),
    };

    /// <summary>Fails when a positional argument past <paramref name="count"/> is given.</summary>
    public static TemplateCall AtMost(this TemplateCall call, int count) => call.Positional.Count <= count
        ? call
        : throw call.Error($"{call.Name}() takes at most {count} positional argument{(count == 1 ? "" : "s")}, {call.Positional.Count} given");
}
