using Sluice.Core.Models;

namespace Sluice.Core.Checks;

/// <summary>How much a failing check matters.</summary>
public enum CheckSeverity
{
    /// <summary>A failure fails the command and stops what depends on the checked model.</summary>
    Error,

    /// <summary>A failure is reported and nothing stops.</summary>
    Warn,
}

/// <summary>
/// One data-quality check, as a property file (schema.yml) or a singular check file declares it:
/// what it checks, with which arguments, and how a failure counts. Running it means running SQL
/// that returns the rows that fail it.
/// </summary>
public sealed record CheckDefinition
{
    /// <summary>The check's unique name (dbt's naming: <c>not_null_orders_id</c>), or the name given.</summary>
    public required string Name { get; init; }

    /// <summary>The type and its typed arguments.</summary>
    public required CheckKind Kind { get; init; }

    /// <summary>What is checked; null only for a singular check that names no relation.</summary>
    public required RelationReference? Target { get; init; }

    /// <summary>The checked column, for column checks.</summary>
    public string? Column { get; init; }

    /// <summary>Error (the default) or warn.</summary>
    public CheckSeverity Severity { get; init; } = CheckSeverity.Error;

    /// <summary>A SQL filter on the rows in scope; may use Jinja (var, ref).</summary>
    public string? Where { get; init; }

    /// <summary>The fraction of rows in scope that must pass, or null for all of them.</summary>
    public double? Mostly { get; init; }

    /// <summary>Whether the failing rows are kept in a table of the audit schema.</summary>
    public bool StoreFailures { get; init; }

    /// <summary>Tags, for selection.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Every relation the check reads: its target and those its arguments name.</summary>
    public required IReadOnlyList<RelationReference> Reads { get; init; }

    /// <summary>The file that declares it, relative to the project.</summary>
    public required string File { get; init; }

    /// <summary>The line of the declaration.</summary>
    public required int Line { get; init; }

    /// <summary><c>file:line</c>, for messages.</summary>
    public string Location => $"{File}:{Line}";

    /// <summary>The type's name: not_null, unique, …, or singular.</summary>
    public string Type => Kind.TypeName;

    /// <summary>The models the check reads, for ordering it after them.</summary>
    public IEnumerable<string> Models => Reads.Where(r => !r.IsSource).Select(r => r.Model!);
}
