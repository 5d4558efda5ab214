using Sluice.Core.Graph;
using Sluice.Core.Models;
using Sluice.Core.Warehouse;

namespace Sluice.Operate.Export;

/// <summary>
/// One model to export, as planned from its definition: where its rows are, which file they go
/// to, and the columns its documents' <c>_id</c> is built from.
/// </summary>
/// <param name="Name">The model's (or seed's, or snapshot's) name.</param>
/// <param name="Kind">Model, seed or snapshot.</param>
/// <param name="File">Its file in the project, for messages.</param>
/// <param name="Relation">The table or view holding its rows.</param>
/// <param name="FileName">The file written in the export folder: <c>&lt;name&gt;.&lt;format&gt;</c>.</param>
/// <param name="KeyColumns">The columns of <c>_id</c>, in order: the partition column, then the unique key's; empty when <see cref="Refusal"/> says why.</param>
public sealed record ExportTarget(string Name, NodeKind Kind, string File, TableName Relation, string FileName, IReadOnlyList<string> KeyColumns)
{
    /// <summary>The partition column of a partitioned model, null otherwise.</summary>
    public string? PartitionColumn { get; init; }

    /// <summary>What the partition column holds: dates, or yyyymmdd date keys.</summary>
    public PartitionKeyKind PartitionKey { get; init; }

    /// <summary>The days whose rows are exported (partitioned models with --from/--to); null for all rows.</summary>
    public DayRange? Range { get; init; }

    /// <summary>Why the model cannot be exported as configured, known before the warehouse is asked; null when it can.</summary>
    public string? Refusal { get; init; }

    /// <summary>Something the user should know about this model's export, such as a range that does not apply to it.</summary>
    public string? Note { get; init; }

    /// <summary>The kind as messages name it: model, seed or snapshot.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();
}

/// <summary>A selected resource that has nothing to export.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Reason">Why it is left out.</param>
public sealed record SkippedModel(string Name, string Reason);

/// <summary>The models an export writes, in the order it writes them, and those it leaves out.</summary>
/// <param name="Targets">The models to export, by name.</param>
/// <param name="Skipped">Selected resources with nothing to export.</param>
public sealed record ExportPlan(IReadOnlyList<ExportTarget> Targets, IReadOnlyList<SkippedModel> Skipped);
