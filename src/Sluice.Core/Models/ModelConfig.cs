using Sluice.Core.Graph;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>How a model's result is kept in the warehouse.</summary>
public enum Materialization
{
    /// <summary>A view, recreated on each run.</summary>
    View,

    /// <summary>A table, rebuilt on each run and swapped in atomically.</summary>
    Table,

    /// <summary>No object: the model's SQL is inlined as a CTE where it is referenced.</summary>
    Ephemeral,

    /// <summary>A table to which each run adds or merges new rows (or replaces date partitions).</summary>
    Incremental,

    /// <summary>A table loaded from a CSV file.</summary>
    Seed,

    /// <summary>An SCD Type 2 history table.</summary>
    Snapshot,
}

/// <summary>How an incremental model folds a run's rows into its table.</summary>
public enum IncrementalStrategy
{
    /// <summary>Insert them.</summary>
    Append,

    /// <summary>Replace the rows with the same unique key, insert the others.</summary>
    Merge,

    /// <summary>Delete the rows whose unique key is among them, then insert them.</summary>
    DeleteInsert,
}

/// <summary>What an incremental run does when the model's columns differ from its table's.</summary>
public enum SchemaChangePolicy
{
    /// <summary>Keep the table's columns; new columns are not loaded.</summary>
    Ignore,

    /// <summary>Add the new columns to the table (existing rows get NULL).</summary>
    AppendNewColumns,

    /// <summary>Stop with an error.</summary>
    Fail,
}

/// <summary>The size of a date partition.</summary>
public enum PartitionGrain
{
    /// <summary>One day.</summary>
    Day,

    /// <summary>A week starting on Monday.</summary>
    Week,

    /// <summary>A calendar month.</summary>
    Month,
}

/// <summary>
/// The typed configs of a model, seed or snapshot, validated: every error names where the bad
/// value was set. Other keys are kept as text in <see cref="Values"/> for <c>config.key:</c> selectors.
/// </summary>
public sealed record ModelConfig(
    Materialization Materialized,
    bool Enabled,
    string? Schema,
    string? Alias,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> UniqueKey,
    IncrementalStrategy Strategy,
    SchemaChangePolicy OnSchemaChange,
    bool? FullRefresh,
    string? PartitionBy,
    PartitionGrain Grain,
    IReadOnlyList<string> PreHooks,
    IReadOnlyList<string> PostHooks,
    IReadOnlyDictionary<string, string> ColumnTypes,
    SnapshotConfig? Snapshot,
    IReadOnlyList<RollupDefinition> Rollups,
    IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Every config value as set, for <c>config.get</c> and <c>model.config</c>.</summary>
    public IReadOnlyDictionary<string, object?> Raw { get; init; } = new Dictionary<string, object?>();

    /// <summary>The synced tables whose changes make built partitions stale (config <c>partition_inputs</c>).</summary>
    public IReadOnlyList<PartitionInput> PartitionInputs { get; init; } = [];

    /// <summary>What the partition column holds: dates (or timestamps), or yyyymmdd date keys.</summary>
    public PartitionKeyKind PartitionKey { get; init; }

    /// <summary>
    /// The columns the table's rows are kept sorted by (config <c>order_by</c>, as dbt-clickhouse
    /// names it); null when not set, empty for <c>tuple()</c> (arrival order).
    /// </summary>
    public IReadOnlyList<string>? OrderBy { get; init; }

    /// <summary>Text columns with few distinct values (config <c>low_cardinality</c>), kept as LowCardinality on ClickHouse.</summary>
    public IReadOnlyList<string> LowCardinality { get; init; } = [];

    /// <summary>
    /// How the model's table is laid out where the engine lays tables out: partitioned by
    /// partition_by, sorted by order_by (by default the partition column, else arrival order),
    /// with its low_cardinality columns. Only tables and incremental models have one.
    /// </summary>
    public TableLayout Layout => Materialized is Materialization.Table or Materialization.Incremental
        ? new TableLayout(
            PartitionBy is null ? null : new TablePartitioning(PartitionBy, Grain, PartitionKey),
            OrderBy ?? (PartitionBy is null ? [] : [PartitionBy]),
            LowCardinality)
        : TableLayout.None;

    /// <summary>The materializations a model may declare.</summary>
    public static IReadOnlyList<string> ModelMaterializations { get; } = ["view", "table", "ephemeral", "incremental"];

    // Configs that would change results in ways Sluice does not reproduce; accepting them
    // silently would build something other than what the project asks for.
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["incremental_predicates"] = "write the filter in the model's SQL inside {% if is_incremental() %}",
        ["sql_header"] = "put the statement in a pre_hook",
        ["materialized_view"] = "use materialized='table'",
    };

    private static readonly Dictionary<string, IncrementalStrategy> Strategies = new(StringComparer.Ordinal)
    {
        ["append"] = IncrementalStrategy.Append,
        ["merge"] = IncrementalStrategy.Merge,
        ["delete+insert"] = IncrementalStrategy.DeleteInsert,
    };

    private static readonly Dictionary<string, SchemaChangePolicy> SchemaChanges = new(StringComparer.Ordinal)
    {
        ["ignore"] = SchemaChangePolicy.Ignore,
        ["append_new_columns"] = SchemaChangePolicy.AppendNewColumns,
        ["fail"] = SchemaChangePolicy.Fail,
    };

    /// <summary>The configs Sluice refuses, with what to do instead.</summary>
    internal static IReadOnlyDictionary<string, string> UnsupportedKeys => Unsupported;

    /// <summary>The values a config with a fixed set of choices may take, by config.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Choices { get; } = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
    {
        ["materialized"] = [.. ModelMaterializations],
        ["incremental_strategy"] = Strategies.Keys,
        ["on_schema_change"] = SchemaChanges.Keys,
    };

    /// <summary>Reads the typed configs of a node of <paramref name="kind"/> defined in <paramref name="file"/>.</summary>
    public static ModelConfig Read(NodeConfig config, NodeKind kind, string file)
    {
        foreach (var (key, hint) in Unsupported)
        {
            if (config.Get(key) is not null)
            {
                throw config.Error(key, $"is not supported by Sluice; {hint}.");
            }
        }

        var materialized = kind switch
        {
            NodeKind.Seed => Materialization.Seed,
            NodeKind.Snapshot => Materialization.Snapshot,
            _ => ReadMaterialization(config),
        };
        var uniqueKey = ReadNames(config, "unique_key");
        var strategy = ReadChoice(config, "incremental_strategy", uniqueKey.Count > 0 ? IncrementalStrategy.DeleteInsert : IncrementalStrategy.Append, Strategies);
        if (strategy != IncrementalStrategy.Append && uniqueKey.Count == 0 && materialized == Materialization.Incremental && config.Get("partition_by") is null)
        {
            throw config.Error("incremental_strategy", "needs a unique_key; add unique_key='id' (or a list of columns), or use incremental_strategy='append'.");
        }

        RequireMergeTree(config);
        var (partitionBy, grain, partitionKey) = ReadPartition(config);
        if (partitionBy is not null && materialized != Materialization.Incremental)
        {
            throw config.Error("partition_by", $"applies to incremental models only, and this one is materialized as '{Name(materialized)}'; add materialized='incremental'.");
        }

        return new ModelConfig(
            materialized,
            ReadBool(config, "enabled") ?? true,
            ReadText(config, "schema"),
            ReadText(config, "alias"),
            ReadNames(config, "tags"),
            uniqueKey,
            strategy,
            ReadChoice(config, "on_schema_change", SchemaChangePolicy.Ignore, SchemaChanges),
            ReadBool(config, "full_refresh"),
            partitionBy,
            grain,
            ReadStatements(config, "pre_hook"),
            ReadStatements(config, "post_hook"),
            ReadColumnTypes(config),
            kind == NodeKind.Snapshot ? SnapshotConfig.Read(config, uniqueKey, file) : null,
            RollupDefinition.Read(config, materialized, partitionBy, grain, partitionKey),
            config.Entries.ToDictionary(e => e.Key, e => TemplateValues.Render(e.Value.Value), StringComparer.Ordinal))
        {
            PartitionInputs = PartitionInput.Read(config, partitionBy),
            PartitionKey = partitionKey,
            OrderBy = ReadOrderBy(config),
            LowCardinality = ReadColumns(config, "low_cardinality", ReadNames(config, "low_cardinality")),
            Raw = config.Entries.ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>The materialization's name as configs write it.</summary>
    public static string Name(Materialization materialization) => materialization.ToString().ToLowerInvariant();

    private static Materialization ReadMaterialization(NodeConfig config) =>
        ReadChoice(config, "materialized", Materialization.View, new()
        {
            ["view"] = Materialization.View,
            ["table"] = Materialization.Table,
            ["ephemeral"] = Materialization.Ephemeral,
            ["incremental"] = Materialization.Incremental,
        });

    private static (string? Column, PartitionGrain Grain, PartitionKeyKind Key) ReadPartition(NodeConfig config)
    {
        var grain = ReadChoice(config, "grain", PartitionGrain.Day, new()
        {
            ["day"] = PartitionGrain.Day,
            ["week"] = PartitionGrain.Week,
            ["month"] = PartitionGrain.Month,
        });
        switch (config.Get("partition_by")?.Value)
        {
            case null:
                return (null, grain, PartitionKeyKind.Date);
            case string column when Identifier.IsValid(column):
                return (column, grain, PartitionKeyKind.Date);
            case IReadOnlyDictionary<string, object?> spec when spec.GetValueOrDefault("field") is string field && Identifier.IsValid(field):
                // BigQuery's form, {field: d, granularity: day, data_type: date}, which some dbt projects use.
                if (spec.ContainsKey("range"))
                {
                    throw config.Error("partition_by", "has a range: integer-range partitions are not supported; an integer partition column holds yyyymmdd date keys, partitioned by day, week or month.");
                }

                if (spec.GetValueOrDefault("granularity") is string granularity)
                {
                    grain = granularity.ToLowerInvariant() switch
                    {
                        "day" => PartitionGrain.Day,
                        "week" => PartitionGrain.Week,
                        "month" => PartitionGrain.Month,
                        _ => throw config.Error("partition_by", $"has granularity '{granularity}'; use day, week or month."),
                    };
                }

                return (field, grain, ReadPartitionKey(config, spec.GetValueOrDefault("data_type")));
            default:
                throw config.Error("partition_by", "must name one date column, such as partition_by='order_date', or a date-key column, as partition_by={'field': 'date_key', 'data_type': 'int'}.");
        }
    }

    // dbt-clickhouse's engine config: Sluice's tables are MergeTrees (their keys from
    // partition_by and order_by); another engine would change what the table's rows are.
    private static void RequireMergeTree(NodeConfig config)
    {
        if (config.Get("engine")?.Value is { } engine
            && !(engine is string text && string.Concat(text.Where(c => !char.IsWhiteSpace(c))) is "MergeTree" or "MergeTree()"))
        {
            throw config.Error("engine", $"is {TemplateValues.Repr(engine)}; Sluice builds a model's ClickHouse table as MergeTree(), keyed by partition_by and order_by; remove engine.");
        }
    }

    // dbt-clickhouse writes the key as ClickHouse does, 'tuple()' or '(a, b)'; a list is the same.
    private static IReadOnlyList<string>? ReadOrderBy(NodeConfig config)
    {
        if (config.Get("order_by")?.Value is not { } value)
        {
            return null;
        }

        if (value is not string text)
        {
            return ReadColumns(config, "order_by", ReadNames(config, "order_by"));
        }

        text = text.Trim();
        if (text.StartsWith('(') && text.EndsWith(')'))
        {
            text = text[1..^1];
        }

        return text is "tuple()" or ""
            ? []
            : ReadColumns(config, "order_by", text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    // Column names only: an expression there would be one engine's SQL in a config every engine reads.
    private static IReadOnlyList<string> ReadColumns(NodeConfig config, string key, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (!Identifier.IsValid(name))
            {
                throw config.Error(key, $"names '{name}', which is not a column name; name the model's columns (make an expression a column of the model's SQL first).");
            }
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    // data_type: a date or timestamp (the default), or a whole number holding yyyymmdd keys.
    private static PartitionKeyKind ReadPartitionKey(NodeConfig config, object? dataType) =>
        dataType switch
        {
            null => PartitionKeyKind.Date,
            string text => text.ToLowerInvariant() switch
            {
                "date" or "timestamp" or "datetime" => PartitionKeyKind.Date,
                "int" or "int64" or "integer" or "bigint" => PartitionKeyKind.DateKey,
                _ => throw config.Error("partition_by", $"has data_type '{text}'; use date, timestamp, or int for a column of yyyymmdd date keys."),
            },
            _ => throw config.Error("partition_by", $"has data_type {TemplateValues.Repr(dataType)}; use date, timestamp, or int for a column of yyyymmdd date keys."),
        };

    internal static T ReadChoice<T>(NodeConfig config, string key, T fallback, Dictionary<string, T> choices)
    {
        if (config.Get(key) is not { } entry || entry.Value is null)
        {
            return fallback;
        }

        return entry.Value is string text && choices.TryGetValue(text.ToLowerInvariant(), out var choice)
            ? choice
            : throw config.Error(key, $"is {TemplateValues.Repr(entry.Value)}; use one of {string.Join(", ", choices.Keys.Select(k => $"'{k}'"))}.");
    }

    internal static string? ReadText(NodeConfig config, string key) => config.Get(key)?.Value switch
    {
        null => null,
        string text => text.Trim().Length == 0 ? null : text.Trim(),
        var other => throw config.Error(key, $"must be text, not {TemplateValues.TypeName(other)}."),
    };

    internal static bool? ReadBool(NodeConfig config, string key) => config.Get(key)?.Value switch
    {
        null => null,
        bool flag => flag,
        string text when bool.TryParse(text, out var parsed) => parsed,
        var other => throw config.Error(key, $"must be true or false, not {TemplateValues.Repr(other)}."),
    };

    internal static IReadOnlyList<string> ReadNames(NodeConfig config, string key) => config.Get(key)?.Value switch
    {
        null => [],
        string text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        IReadOnlyList<object?> list when list.All(i => i is string) => [.. list.Cast<string>()],
        var other => throw config.Error(key, $"must be a name or a list of names, not {TemplateValues.Repr(other)}."),
    };

    // Hooks are SQL, which may hold commas: a string is one statement.
    private static IReadOnlyList<string> ReadStatements(NodeConfig config, string key) => config.Get(key)?.Value switch
    {
        null => [],
        string text => [text],
        IReadOnlyList<object?> list when list.All(i => i is string) => [.. list.Cast<string>()],
        IReadOnlyList<object?> list when list.All(i => i is IReadOnlyDictionary<string, object?> d && d.GetValueOrDefault("sql") is string) =>
            [.. list.Cast<IReadOnlyDictionary<string, object?>>().Select(d => (string)d["sql"]!)],
        var other => throw config.Error(key, $"must be a SQL statement or a list of them, not {TemplateValues.TypeName(other)}."),
    };

    private static IReadOnlyDictionary<string, string> ReadColumnTypes(NodeConfig config) => config.Get("column_types")?.Value switch
    {
        null => new Dictionary<string, string>(),
        IReadOnlyDictionary<string, object?> types when types.Values.All(v => v is string) =>
            types.ToDictionary(t => t.Key, t => (string)t.Value!, StringComparer.OrdinalIgnoreCase),
        var other => throw config.Error("column_types", $"must map column names to SQL types, such as {{id: bigint}}, not {TemplateValues.Repr(other)}."),
    };
}
