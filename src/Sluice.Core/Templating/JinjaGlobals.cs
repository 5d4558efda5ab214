namespace Sluice.Core.Templating;

/// <summary>The functions Jinja itself gives every template: <c>range</c>, <c>dict</c>, <c>namespace</c>.</summary>
internal static class JinjaGlobals
{
    public static IReadOnlyDictionary<string, object?> All { get; } = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["range"] = (TemplateFunction)Range,
        ["dict"] = (TemplateFunction)(call =>
        {
            var entries = call.Positional.Count > 0 && call.Positional[0] is IReadOnlyDictionary<string, object?> from
                ? from.ToDictionary(StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in call.Named)
            {
                entries[key] = value;
            }

            return entries;
        }),
        ["namespace"] = (TemplateFunction)(call =>
        {
            var space = new TemplateNamespace();
            foreach (var (key, value) in call.Named)
            {
                space.Values[key] = value;
            }

            return space;
        }),
    };

    private static object? Range(TemplateCall call)
    {
        long Number(int index) => call.Positional[index] as long? ?? throw call.Error("range() takes integers");
        var (start, stop, step) = call.Positional.Count switch
        {
            1 => (0L, Number(0), 1L),
            2 => (Number(0), Number(1), 1L),
            3 => (Number(0), Number(1), Number(2)),
            _ => throw call.Error("range() takes one to three integers, as range(10) or range(1, 10, 2)"),
        };
        if (step == 0)
        {
            throw call.Error("range(): the step cannot be zero");
        }

        var values = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            values.Add(i);
            if (values.Count > 1_000_000)
            {
                throw call.Error("range() would make more than a million numbers");
            }
        }

        return values;
    }
}
