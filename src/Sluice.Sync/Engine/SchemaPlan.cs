using Sluice.Core.Warehouse;

namespace Sluice.Sync.Engine;

/// <summary>
/// How a raw table must change to take the source's current columns: new columns are added,
/// widened types (int to bigint, real to double, a wider decimal) are altered, dropped columns
/// stay and are NULL from then on. Any other type change is incompatible and stops the table
/// before anything is written.
/// </summary>
/// <param name="Columns">The raw table's columns after the change, Sluice's own at the end.</param>
/// <param name="Added">Columns to add.</param>
/// <param name="Widened">Columns whose type grows.</param>
/// <param name="Dropped">Raw columns the source no longer has.</param>
public sealed record SchemaPlan(
    IReadOnlyList<ColumnSpec> Columns,
    IReadOnlyList<ColumnSpec> Added,
    IReadOnlyList<ColumnSpec> Widened,
    IReadOnlyList<string> Dropped)
{
    /// <summary>True when the raw table needs no change.</summary>
    public bool IsEmpty => Added.Count == 0 && Widened.Count == 0;

    /// <summary>
    /// Plans the change from <paramref name="existing"/> (null: the table is new) to the source's
    /// columns plus <paramref name="systemColumns"/>.
    /// </summary>
    /// <exception cref="IncompatibleSchemaException">A column changed to a type its raw column cannot hold.</exception>
    public static SchemaPlan Create(TableName raw, IReadOnlyList<ColumnSpec> source, IReadOnlyList<ColumnSpec> systemColumns, TableInfo? existing, ISqlDialect dialect)
    {
        if (existing is null)
        {
            return new SchemaPlan([.. source, .. systemColumns], [], [], []);
        }

        var columns = new List<ColumnSpec>();
        var widened = new List<ColumnSpec>();
        var dropped = new List<string>();
        foreach (var current in existing.Columns)
        {
            var wanted = source.FirstOrDefault(c => c.Name == current.Name) ?? systemColumns.FirstOrDefault(c => c.Name == current.Name);
            if (wanted is null)
            {
                dropped.Add(current.Name);
                columns.Add(current);
            }
            else if (Holds(current.Type, wanted.Type, dialect))
            {
                columns.Add(current);
            }
            else if (Holds(wanted.Type, current.Type, dialect))
            {
                var grown = new ColumnSpec(current.Name, wanted.Type);
                widened.Add(grown);
                columns.Add(grown);
            }
            else
            {
                throw new IncompatibleSchemaException(
                    $"{raw}: source column '{current.Name}' changed from {current.Type} to {wanted.Type}, which the raw column cannot hold; the table was left as it is. "
                    + "Run `sluice sync --table <table> --full-refresh` to rebuild it with the new type.");
            }
        }

        var added = source.Concat(systemColumns).Where(c => !existing.Columns.Any(e => e.Name == c.Name)).ToList();
        columns.AddRange(added);
        return new SchemaPlan(columns, added, widened, dropped);
    }

    /// <summary>True when every value of <paramref name="from"/> fits in <paramref name="to"/> unchanged.</summary>
    public static bool Holds(ColumnType to, ColumnType from, ISqlDialect dialect)
    {
        if (dialect.TypeName(to) == dialect.TypeName(from))
        {
            return true;
        }

        return (from.Kind, to.Kind) switch
        {
            (ColumnKind.SmallInt, ColumnKind.Integer or ColumnKind.BigInt) => true,
            (ColumnKind.Integer, ColumnKind.BigInt) => true,
            (ColumnKind.SmallInt, ColumnKind.Decimal) => IntegerDigits(to) >= 5,
            (ColumnKind.Integer, ColumnKind.Decimal) => IntegerDigits(to) >= 10,
            (ColumnKind.BigInt, ColumnKind.Decimal) => IntegerDigits(to) >= 19,
            (ColumnKind.Real, ColumnKind.Double) => true,
            (ColumnKind.Decimal, ColumnKind.Decimal) => to.IsUnboundedDecimal
                || (!from.IsUnboundedDecimal && to.Scale >= from.Scale && to.Precision - to.Scale >= from.Precision - from.Scale),
            _ => false,
        };
    }

    private static int IntegerDigits(ColumnType type) => type.IsUnboundedDecimal ? int.MaxValue : type.Precision - type.Scale;
}

/// <summary>A source column changed type in a way its raw column cannot follow.</summary>
public sealed class IncompatibleSchemaException(string message) : Core.Project.SluiceException(message);
