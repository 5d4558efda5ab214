using System.Collections;
using System.Globalization;

namespace Sluice.Core.Templating;

/// <summary>A function a template can call, such as <c>ref</c> or <c>var</c>.</summary>
public delegate object? TemplateFunction(TemplateCall call);

/// <summary>A host object with attributes (<c>this.schema</c>) and a rendering of its own.</summary>
public interface ITemplateObject
{
    /// <summary>The attribute <paramref name="name"/>, or <see cref="TemplateValues.Missing"/>.</summary>
    object? Attribute(string name);

    /// <summary>What <c>{{ value }}</c> writes.</summary>
    string Render();

    /// <summary>Why <c>value.name</c> is an error, when the object has no attribute <paramref name="name"/>.</summary>
    string MissingAttribute(string name) => $"{Render()} has no attribute '{name}'";
}

/// <summary>A host object that can be called as well as read (<c>config(…)</c> and <c>config.get(…)</c>).</summary>
public interface ITemplateCallable
{
    /// <summary>Calls the object.</summary>
    object? Call(TemplateCall call);
}

/// <summary>One call of a <see cref="TemplateFunction"/>: its arguments and where it is written.</summary>
public sealed class TemplateCall(string name, IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named, TemplateSource source, int offset)
{
    /// <summary>The function's name as called.</summary>
    public string Name { get; } = name;

    /// <summary>Positional arguments.</summary>
    public IReadOnlyList<object?> Positional { get; } = positional;

    /// <summary>Named arguments.</summary>
    public IReadOnlyDictionary<string, object?> Named { get; } = named;

    /// <summary>The template the call is in.</summary>
    public TemplateSource Source { get; } = source;

    /// <summary>Where the call is written.</summary>
    public int Offset { get; } = offset;

    /// <summary>The body of the <c>{% call %}</c> block that made the call, rendered on demand; null for a plain call.</summary>
    public TemplateFunction? Caller { get; init; }

    /// <summary>The package whose code makes the call; null for the root project outside macros.</summary>
    public string? Package { get; init; }

    /// <summary>An error located at the call.</summary>
    public TemplateException Error(string reason) => Source.Error(Offset, reason);

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="argumentName"/>, or <paramref name="fallback"/>.</summary>
    public object? Argument(int index, string argumentName, object? fallback = null) =>
        index < Positional.Count ? Positional[index] : Named.TryGetValue(argumentName, out var value) ? value : fallback;

    /// <summary>A required string argument.</summary>
    public string String(int index, string argumentName) => Argument(index, argumentName) switch
    {
        string text => text,
        null when index >= Positional.Count && !Named.ContainsKey(argumentName) => throw Error($"{Name}() needs the argument '{argumentName}'"),
        var other => throw Error($"{Name}(): '{argumentName}' must be a string, not {TemplateValues.TypeName(other)}"),
    };
}

/// <summary>How template values behave: Python's truth, equality, ordering and printing.</summary>
public static class TemplateValues
{
    /// <summary>Marks an attribute or key that does not exist.</summary>
    public static readonly object Missing = new();

    /// <summary>Python's truth of a value.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>What <c>{{ value }}</c> writes, as Jinja would.</summary>
    public static string Render(object? value) => value switch
    {
        string s => s,
        ITemplateObject o => o.Render(),
        _ => Repr(value, quoteStrings: false),
    };

    /// <summary>Python's <c>repr</c>-like text of a value: lists as <c>['a', 1]</c>, None, True.</summary>
    public static string Repr(object? value, bool quoteStrings = true) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        string s => quoteStrings ? "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : s,
        ITemplateObject o => o.Render(),
        IReadOnlyDictionary<string, object?> d => "{" + string.Join(", ", d.Select(e => $"{Repr(e.Key)}: {Repr(e.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(item => Repr(item))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// A value as a dict key. Python's dicts take any hashable key (dbt_utils keys one by
    /// relation); here keys are text, so a relation keys by its name and 1 by "1".
    /// </summary>
    public static string Key(object? key) => key as string ?? Render(key);

    /// <summary>Python's equality: 1 == 1.0, lists and dicts by content.</summary>
    public static bool AreEqual(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (bool a, bool b) => a == b,
        (long a, long b) => a == b,
        (long or double, long or double) => ToDouble(left) == ToDouble(right),
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (IReadOnlyList<object?> a, IReadOnlyList<object?> b) => a.Count == b.Count && a.Zip(b).All(p => AreEqual(p.First, p.Second)),
        _ => left.Equals(right),
    };

    /// <summary>Orders two numbers, two strings or two values with an order of their own (dates); null when they cannot be compared.</summary>
    public static int? Compare(object? left, object? right) => (left, right) switch
    {
        (ITemplateOperand a, _) => a.CompareTo(right),
        (_, ITemplateOperand b) => -b.CompareTo(left),
        (long a, long b) => a.CompareTo(b),
        (long or double, long or double) => ToDouble(left).CompareTo(ToDouble(right)),
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => null,
    };

    /// <summary>The Python type name of a value, for messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "none",
        Undefined => "undefined",
        bool => "a boolean",
        long => "an integer",
        double => "a float",
        string => "a string",
        IReadOnlyDictionary<string, object?> => "a dict",
        IReadOnlyList<object?> => "a list",
        TemplateFunction or MacroValue or ITemplateCallable => "a function",
        _ => "an object",
    };

    /// <summary>A number as a double.</summary>
    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidCastException(),
    };

    private static string FormatDouble(double value)
    {
        if (double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 1e16)
        {
            return value.ToString("0.0", CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}

/// <summary>A name the template reads but nothing defines; an error as soon as it is used.</summary>
public sealed record Undefined(string Description, int Offset);

/// <summary>The <c>loop</c> variable of a for loop.</summary>
internal sealed class LoopState(IReadOnlyList<object?> items) : ITemplateObject
{
    public int Index0 { get; set; }

    public object? Attribute(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new Undefined("loop.previtem", 0),
        "nextitem" => Index0 < items.Count - 1 ? items[Index0 + 1] : new Undefined("loop.nextitem", 0),
        "cycle" => (TemplateFunction)(call => call.Positional.Count == 0
            ? throw call.Error("loop.cycle() needs at least one value")
            : call.Positional[Index0 % call.Positional.Count]),
        _ => TemplateValues.Missing,
    };

    public string Render() => $"<loop {Index0}>";
}
