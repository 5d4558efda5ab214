namespace Sluice.Core.Warehouse;

/// <summary>A column to create, or one found by introspection.</summary>
public sealed record ColumnSpec
{
    /// <summary>Creates a validated column spec.</summary>
    public ColumnSpec(string name, ColumnType type, bool nullable = true)
    {
        Name = Identifier.Validate(name, "column");
        Type = type;
        Nullable = nullable;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Column type.</summary>
    public ColumnType Type { get; }

    /// <summary>Whether NULL is allowed.</summary>
    public bool Nullable { get; }
}

/// <summary>A table and its columns in order.</summary>
public sealed record TableInfo(TableName Name, IReadOnlyList<ColumnSpec> Columns);

/// <summary>The rows whose partition column lies in [From, To).</summary>
public sealed record PartitionRange
{
    /// <summary>Creates a range over a validated column.</summary>
    public PartitionRange(string column, object from, object to)
    {
        Column = Identifier.Validate(column, "partition column");
        From = from;
        To = to;
    }

    /// <summary>The partition column.</summary>
    public string Column { get; }

    /// <summary>Inclusive lower bound.</summary>
    public object From { get; }

    /// <summary>Exclusive upper bound.</summary>
    public object To { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Column} in [{From}, {To})";
}
