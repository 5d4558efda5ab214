namespace Sluice.Core.Templating;

/// <summary>
/// dbt's <c>modules</c>: the Python modules templates may use — <c>datetime</c>, <c>pytz</c>,
/// <c>re</c> and <c>itertools</c> — written in .NET with Python's behaviour. Every clock read
/// goes through the <see cref="TimeProvider"/> given, so that tests fix the time.
/// </summary>
public static class TemplateModules
{
    /// <summary>The <c>modules</c> object, reading the time from <paramref name="clock"/>.</summary>
    public static TemplateModule Create(TimeProvider clock) => new("modules", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["datetime"] = TemplateDateModule.Create(clock),
        ["pytz"] = TemplateDateModule.Pytz,
        ["re"] = TemplateRegex.Module,
        ["itertools"] = TemplateItertools.Module,
    });
}

/// <summary>A Python module as templates see it: its members by name; any other is an error naming those there are.</summary>
/// <param name="name">The module's dotted name, for messages.</param>
/// <param name="members">Its members: functions, classes, constants and submodules.</param>
public sealed class TemplateModule(string name, IReadOnlyDictionary<string, object?> members) : ITemplateObject
{
    /// <summary>The module's name.</summary>
    public string Name { get; } = name;

    /// <summary>The names of its members.</summary>
    public IEnumerable<string> Members => members.Keys;

    /// <inheritdoc />
    public object? Attribute(string member) => members.TryGetValue(member, out var value) ? value : TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => $"<module '{Name}'>";

    /// <inheritdoc />
    public string MissingAttribute(string member) =>
        $"{Name}.{member} is not supported by Sluice; {Name} has {string.Join(", ", members.Keys.Order(StringComparer.OrdinalIgnoreCase))}";
}

/// <summary>
/// A Python class as templates see it: called, it constructs a value (<c>datetime.date(2024, 1, 5)</c>);
/// its attributes are its class methods (<c>datetime.date.today()</c>).
/// </summary>
/// <param name="name">The class's dotted name, for messages.</param>
/// <param name="construct">What calling the class does.</param>
/// <param name="members">Its class methods and constants.</param>
public sealed class TemplateClass(string name, TemplateFunction construct, IReadOnlyDictionary<string, object?> members) : ITemplateObject, ITemplateCallable
{
    /// <summary>The class's name.</summary>
    public string Name { get; } = name;

    /// <inheritdoc />
    public object? Call(TemplateCall call) => construct(call);

    /// <inheritdoc />
    public object? Attribute(string member) => members.TryGetValue(member, out var value) ? value : TemplateValues.Missing;

    /// <inheritdoc />
    public string Render() => $"<class '{Name}'>";

    /// <inheritdoc />
    public string MissingAttribute(string member) =>
        $"{Name}.{member} is not supported by Sluice; {Name} has {string.Join(", ", members.Keys.Order(StringComparer.OrdinalIgnoreCase))}";
}
