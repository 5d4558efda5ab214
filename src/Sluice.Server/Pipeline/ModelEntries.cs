namespace Sluice.Server.Pipeline;

/// <summary>A model, seed, snapshot or synced source table in the project's lineage.</summary>
/// <param name="Name">Its name: a model's, or <c>source.table</c>.</param>
/// <param name="Kind">model, seed, snapshot or source.</param>
/// <param name="Materialized">view, table, incremental, ephemeral, seed or snapshot; null for a source.</param>
/// <param name="Table">The table or view it is in the warehouse.</param>
/// <param name="File">Where it is defined, relative to the project; null for a source.</param>
/// <param name="Description">Its description.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Upstream">What it reads.</param>
/// <param name="Downstream">What reads it.</param>
public sealed record LineageNode(string Name, string Kind, string? Materialized, string Table, string? File, string? Description, IReadOnlyList<string> Tags, IReadOnlyList<string> Upstream, IReadOnlyList<string> Downstream);

/// <summary>The answer of <c>/api/v1/lineage</c>.</summary>
/// <param name="Nodes">Every resource and source table, sources first, then in build order.</param>
public sealed record LineageResponse(IReadOnlyList<LineageNode> Nodes);

/// <summary>A column of a model, as the warehouse has it and the property files describe it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its type in the warehouse, or null when the model is not built.</param>
/// <param name="Description">Its description from the property files.</param>
public sealed record ModelColumn(string Name, string? Type, string? Description);

/// <summary>A check of a model with its latest result.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Type">not_null, unique, accepted_values, relationships, expression or a singular test.</param>
/// <param name="Column">The column checked, or null.</param>
/// <param name="Severity">error or warn.</param>
/// <param name="Mostly">The share of rows that must pass, or null for all.</param>
/// <param name="Status">The latest result: pass, warn, fail, error or skipped; null when never run.</param>
/// <param name="FailingRows">Rows that failed in the latest run.</param>
/// <param name="Message">The latest result's message.</param>
/// <param name="CheckedAt">When it last ran.</param>
public sealed record ModelCheck(string Name, string Type, string? Column, string Severity, double? Mostly, string? Status, long? FailingRows, string? Message, DateTimeOffset? CheckedAt);

/// <summary>The answer of <c>/api/v1/models/{name}</c>: what dbt's docs show of a model.</summary>
/// <param name="Node">Its place in the lineage.</param>
/// <param name="PartitionBy">The column its partitions are by, or null.</param>
/// <param name="UniqueKey">Its unique key.</param>
/// <param name="Sql">Its SQL as written.</param>
/// <param name="CompiledSql">Its SQL with the templating resolved (for a full build), or null when it does not compile.</param>
/// <param name="CompileError">Why it does not compile, or null.</param>
/// <param name="Columns">Its columns.</param>
/// <param name="Checks">Its checks.</param>
public sealed record ModelResponse(LineageNode Node, string? PartitionBy, IReadOnlyList<string> UniqueKey, string? Sql, string? CompiledSql, string? CompileError, IReadOnlyList<ModelColumn> Columns, IReadOnlyList<ModelCheck> Checks);
