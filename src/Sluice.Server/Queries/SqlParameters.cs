namespace Sluice.Server.Queries;

/// <summary>The values of a query being written; each <see cref="Add"/> returns the placeholder to put in the SQL.</summary>
internal sealed class SqlParameters
{
    private readonly List<object?> _values = [];

    /// <summary>The values in placeholder order.</summary>
    public IReadOnlyList<object?> Values => _values;

    /// <summary>Adds a value and returns its placeholder, <c>$n</c>.</summary>
    public string Add(object? value)
    {
        _values.Add(value);
        return $"${_values.Count}";
    }

    /// <summary>A list of placeholders for an <c>in (…)</c>.</summary>
    public string AddAll(IEnumerable<object> values) => string.Join(", ", values.Select(Add));
}
