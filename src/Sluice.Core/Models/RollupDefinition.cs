using System.Globalization;
using Sluice.Core.Templating;
using Sluice.Core.Warehouse;

namespace Sluice.Core.Models;

/// <summary>
/// A model's pre-aggregation (config <c>rollups</c>): its rows counted and summed per period of
/// its time column and per combination of some dimensions, kept in a table beside the model and
/// rebuilt in the transaction that changes the model. The server answers trends from it when
/// the question needs nothing the rollup dropped.
/// </summary>
/// <param name="Name">Its name, unique within the model (default: the grain).</param>
/// <param name="Grain">The period it sums over.</param>
/// <param name="Time">The model's column whose period keys the rows.</param>
/// <param name="Dimensions">The columns kept as they are.</param>
/// <param name="Measures">The numeric columns summarized per group: count, sum, squared deviations, min and max.</param>
/// <param name="Origin">Where it was declared, for errors.</param>
public sealed record RollupDefinition(string Name, PartitionGrain Grain, string Time, IReadOnlyList<string> Dimensions, IReadOnlyList<string> Measures, string Origin)
{
    /// <summary>The column holding the period's first day.</summary>
    public const string PeriodColumn = "period";

    /// <summary>The column holding the number of model rows summarized.</summary>
    public const string RowCountColumn = "row_count";

    private static readonly string[] Keys = ["name", "grain", "time", "dimensions", "measures"];
    private static readonly string[] Suffixes = ["__count", "__sum", "__m2", "__min", "__max"];

    /// <summary>The rollup's table: the model's, with <c>__rollup_</c> and the name appended (the model's name cut to fit).</summary>
    public TableName TableFor(TableName model)
    {
        var suffix = $"__rollup_{Name}";
        return new TableName(model.Schema, model.Name[..Math.Min(model.Name.Length, Math.Max(1, Identifier.MaxLength - suffix.Length))] + suffix);
    }

    /// <summary>The grain as configs and SQL's <c>date_trunc</c> write it.</summary>
    public string GrainName => Grain.ToString().ToLowerInvariant();

    /// <summary>The rollup as text: equal texts build equal tables, so a table recorded with another text is out of date.</summary>
    public string Definition => string.Create(CultureInfo.InvariantCulture,
        $"v1;{GrainName};{Time};{string.Join(",", Dimensions)};{string.Join(",", Measures)}");

    /// <summary>Columns of measure <paramref name="measure"/>: values counted, their sum, sum of squared deviations from the group's mean, least and greatest.</summary>
    public static (string Count, string Sum, string M2, string Min, string Max) MeasureColumns(string measure) =>
        (measure + Suffixes[0], measure + Suffixes[1], measure + Suffixes[2], measure + Suffixes[3], measure + Suffixes[4]);

    /// <summary>The measure among <see cref="Measures"/> that <paramref name="expression"/> names (a bare column, any case), or null.</summary>
    public string? MeasureFor(string? expression) =>
        expression is null ? null : Measures.FirstOrDefault(m => string.Equals(m, expression.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="column"/> is one of <see cref="Dimensions"/> (any case).</summary>
    public bool HasDimension(string column) => Dimensions.Any(d => string.Equals(d, column, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads config <c>rollups</c>; every error names where it was set.</summary>
    public static IReadOnlyList<RollupDefinition> Read(NodeConfig config, Materialization materialized, string? partitionBy, PartitionGrain partitionGrain, PartitionKeyKind partitionKey = PartitionKeyKind.Date)
    {
        if (config.Get("rollups") is not { Value: not null } entry)
        {
            return [];
        }

        if (partitionBy is not null && partitionKey == PartitionKeyKind.DateKey)
        {
            throw config.Error("rollups", $"need a date or timestamp partition column, and '{partitionBy}' holds yyyymmdd date keys; partition by a date column to keep rollups.");
        }

        if (entry.Value is not IReadOnlyList<object?> list || list.Any(i => i is not IReadOnlyDictionary<string, object?>))
        {
            throw config.Error("rollups", "must be a list of mappings, such as [{grain: day, time: created_at, dimensions: [country], measures: [amount]}].");
        }

        if (materialized is not (Materialization.Table or Materialization.Incremental))
        {
            throw config.Error("rollups", $"needs a table to summarize, and this model is materialized as '{ModelConfig.Name(materialized)}'; use materialized='table' or 'incremental'.");
        }

        var rollups = new List<RollupDefinition>();
        foreach (var item in list.Cast<IReadOnlyDictionary<string, object?>>())
        {
            var rollup = ReadOne(config, item, entry.Origin);
            if (partitionBy is not null)
            {
                RequirePartitionAligned(config, rollup, partitionBy, partitionGrain);
            }

            if (rollups.Any(r => r.Name == rollup.Name))
            {
                throw config.Error("rollups", $"declares two rollups named '{rollup.Name}'; give one a name of its own (name: ...).");
            }

            rollups.Add(rollup);
        }

        return rollups;
    }

    private static RollupDefinition ReadOne(NodeConfig config, IReadOnlyDictionary<string, object?> item, string origin)
    {
        if (item.Keys.FirstOrDefault(k => !Keys.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            throw config.Error("rollups", $"has an unknown key '{unknown}'; a rollup takes {string.Join(", ", Keys)}.");
        }

        var grain = item.GetValueOrDefault("grain") switch
        {
            string text when Enum.TryParse<PartitionGrain>(text, ignoreCase: true, out var parsed) && !int.TryParse(text, out _) => parsed,
            var other => throw config.Error("rollups", $"has grain {TemplateValues.Repr(other)}; use day, week or month."),
        };
        var time = PlainName(config, item, "time") ?? throw config.Error("rollups", "needs time: the date or timestamp column whose periods key the rollup.");
        var name = PlainName(config, item, "name") ?? grain.ToString().ToLowerInvariant();
        var dimensions = Names(config, item, "dimensions");
        var measures = Names(config, item, "measures");
        var all = dimensions.Concat(measures).Append(time).ToList();
        if (all.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw config.Error("rollups", $"(rollup '{name}') names column '{twice.Key}' more than once among time, dimensions and measures.");
        }

        if (dimensions.Concat(measures).FirstOrDefault(IsReserved) is { } reserved)
        {
            throw config.Error("rollups", $"(rollup '{name}') uses column '{reserved}', whose name the rollup table needs for itself ({PeriodColumn}, {RowCountColumn}, or a name ending in {string.Join(", ", Suffixes)}); select it under another name in the model.");
        }

        return new RollupDefinition(name, grain, time, dimensions, measures, origin);
    }

    private static bool IsReserved(string column) =>
        string.Equals(column, PeriodColumn, StringComparison.OrdinalIgnoreCase)
        || string.Equals(column, RowCountColumn, StringComparison.OrdinalIgnoreCase)
        || Suffixes.Any(s => column.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    // A partition's build refreshes the rollup's periods inside the partition, which is exact
    // only when those periods hold rows of that partition alone.
    private static void RequirePartitionAligned(NodeConfig config, RollupDefinition rollup, string partitionBy, PartitionGrain partitionGrain)
    {
        if (!string.Equals(rollup.Time, partitionBy, StringComparison.OrdinalIgnoreCase))
        {
            throw config.Error("rollups", $"(rollup '{rollup.Name}') has time '{rollup.Time}', but the model is partitioned by '{partitionBy}'; a partitioned model's rollups use the partition column as time.");
        }

        if (rollup.Grain != PartitionGrain.Day && rollup.Grain != partitionGrain)
        {
            throw config.Error("rollups", $"(rollup '{rollup.Name}') has grain {rollup.GrainName}, which does not fit in the model's {partitionGrain.ToString().ToLowerInvariant()} partitions; use grain day, or the partitions' grain.");
        }
    }

    private static string? PlainName(NodeConfig config, IReadOnlyDictionary<string, object?> item, string key) => item.GetValueOrDefault(key) switch
    {
        null => null,
        string text when Identifier.IsValid(text.Trim()) => text.Trim(),
        var other => throw config.Error("rollups", $"has {key} {TemplateValues.Repr(other)}; it must be a plain name (letters, digits, underscores)."),
    };

    private static List<string> Names(NodeConfig config, IReadOnlyDictionary<string, object?> item, string key) => item.GetValueOrDefault(key) switch
    {
        null => [],
        string text => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Checked(config, key, n))],
        IReadOnlyList<object?> list when list.All(i => i is string) => [.. list.Cast<string>().Select(n => Checked(config, key, n.Trim()))],
        var other => throw config.Error("rollups", $"has {key} {TemplateValues.Repr(other)}; it must be a list of column names."),
    };

    private static string Checked(NodeConfig config, string key, string name) =>
        Identifier.IsValid(name) ? name : throw config.Error("rollups", $"has '{name}' among its {key}; each must be a plain column name.");
}
