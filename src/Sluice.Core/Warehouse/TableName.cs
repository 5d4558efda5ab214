using System.Text.RegularExpressions;

namespace Sluice.Core.Warehouse;

/// <summary>
/// A schema-qualified table name. Both parts are validated on construction so that a name from
/// configuration or a request can never carry SQL; adapters still quote them.
/// </summary>
public sealed partial record TableName
{
    /// <summary>Creates a validated name.</summary>
    public TableName(string schema, string name)
    {
        Schema = Identifier.Validate(schema, "schema");
        Name = Identifier.Validate(name, "table");
    }

    /// <summary>The schema.</summary>
    public string Schema { get; }

    /// <summary>The table name within the schema.</summary>
    public string Name { get; }

    /// <summary>A name in the same schema with a suffix, for staging and swap tables.</summary>
    public TableName WithSuffix(string suffix) => new(Schema, Name + suffix);

    /// <summary>Parses "schema.table".</summary>
    public static TableName Parse(string qualified)
    {
        var parts = qualified.Split('.');
        return parts.Length == 2
            ? new TableName(parts[0], parts[1])
            : throw new ArgumentException($"'{qualified}' is not a schema-qualified table name such as raw.app__emails.", nameof(qualified));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Schema}.{Name}";
}

/// <summary>Validation of SQL identifiers taken from configuration and requests.</summary>
public static partial class Identifier
{
    /// <summary>The longest identifier PostgreSQL keeps without truncating.</summary>
    public const int MaxLength = 63;

    /// <summary>True for letters, digits and underscores, not starting with a digit, at most 63 characters.</summary>
    public static bool IsValid(string? identifier) =>
        !string.IsNullOrEmpty(identifier) && identifier.Length <= MaxLength && Pattern().IsMatch(identifier);

    /// <summary>Returns the identifier, or throws an error naming what it was for.</summary>
    public static string Validate(string? identifier, string what) => IsValid(identifier)
        ? identifier!
        : throw new ArgumentException(
            $"'{identifier}' is not a valid {what} name: use letters, digits and underscores, starting with a letter or underscore, at most {MaxLength} characters.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Pattern();
}
