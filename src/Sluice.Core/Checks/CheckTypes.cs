namespace Sluice.Core.Checks;

/// <summary>Whether a check type looks at a column.</summary>
internal enum ColumnUse
{
    /// <summary>It checks one column's values.</summary>
    Required,

    /// <summary>It works with or without a column (expression_is_true).</summary>
    Optional,

    /// <summary>It checks the table as a whole.</summary>
    None,
}

/// <summary>What a check type takes.</summary>
/// <param name="Column">Whether it checks a column.</param>
/// <param name="Keys">Its own arguments.</param>
internal sealed record CheckSpec(ColumnUse Column, params string[] Keys);

/// <summary>The check types a property file may name, with the arguments each takes.</summary>
internal static class CheckTypes
{
    public static IReadOnlyDictionary<string, CheckSpec> All { get; } = new Dictionary<string, CheckSpec>(StringComparer.Ordinal)
    {
        ["not_null"] = new(ColumnUse.Required),
        ["unique"] = new(ColumnUse.Required),
        ["accepted_values"] = new(ColumnUse.Required, "values", "quote"),
        ["relationships"] = new(ColumnUse.Required, "to", "field"),
        ["accepted_range"] = new(ColumnUse.Required, "min_value", "max_value", "inclusive"),
        ["expression_is_true"] = new(ColumnUse.Optional, "expression"),
        ["regex"] = new(ColumnUse.Required, "pattern"),
        ["unique_combination_of_columns"] = new(ColumnUse.None, "combination_of_columns"),
        ["not_empty"] = new(ColumnUse.None),
        ["row_count"] = new(ColumnUse.None, "min", "max", "equal_to"),
        ["freshness"] = new(ColumnUse.Required, "warn_after", "error_after"),
        ["parity"] = new(ColumnUse.None, "max_mismatch_ratio", "max_age"),
    };

    /// <summary>The typed check of <paramref name="type"/>, or null when it reads a disabled model.</summary>
    public static CheckKind? Build(string type, CheckArguments args) => type switch
    {
        "not_null" => new NotNullCheck(),
        "unique" => new UniqueCheck(),
        "accepted_values" => new AcceptedValuesCheck(args.Values("values"), args.Bool("quote") ?? true),
        "relationships" => args.Relation("to") is { } to ? new RelationshipsCheck(to, args.Text("field") ?? "id") : null,
        "accepted_range" => Range(args),
        "expression_is_true" => new ExpressionIsTrueCheck(args.RequiredText("expression", "`expression: \"amount >= 0\"`")),
        "regex" => new RegexCheck(args.RequiredText("pattern", "`pattern: '^[A-Z]{2}$'`")),
        "unique_combination_of_columns" => new UniqueCombinationCheck(args.Names("combination_of_columns", "`combination_of_columns: [order_id, line]`")),
        "not_empty" => new NotEmptyCheck(),
        "row_count" => RowCount(args),
        "freshness" => Freshness(args),
        "parity" => new ParityCheck(args.Fraction("max_mismatch_ratio") ?? 0, args.Duration("max_age")),
        _ => throw new InvalidOperationException($"the check type '{type}' has no reader"),
    };

    private static AcceptedRangeCheck Range(CheckArguments args)
    {
        var (min, max) = (args.Scalar("min_value"), args.Scalar("max_value"));
        return min is null && max is null
            ? throw args.Error("needs min_value, max_value or both, such as `min_value: 0`.")
            : new AcceptedRangeCheck(min, max, args.Bool("inclusive") ?? true);
    }

    private static CheckKind? RowCount(CheckArguments args)
    {
        var (min, max) = (args.Count("min"), args.Count("max"));
        if (args.Has("equal_to"))
        {
            if (min is not null || max is not null)
            {
                throw args.Error("takes either equal_to or min/max, not both.");
            }

            return args.Relation("equal_to") is { } other ? new RowCountCheck(null, null, other) : null;
        }

        if (min is null && max is null)
        {
            throw args.Error("needs min, max or equal_to, such as `min: 1` or `equal_to: ref('stg_orders')`.");
        }

        return min > max ? throw args.Error($"min ({min}) is greater than max ({max}).") : new RowCountCheck(min, max, null);
    }

    private static FreshnessCheck Freshness(CheckArguments args)
    {
        var (warn, error) = (args.Duration("warn_after"), args.Duration("error_after"));
        return warn is null && error is null
            ? throw args.Error("needs warn_after, error_after or both, such as `error_after: 24h`.")
            : new FreshnessCheck(warn, error);
    }
}
