namespace Sluice.Core.Warehouse;

/// <summary>The engine-neutral column types Sluice moves between sources and warehouses.</summary>
public enum ColumnKind
{
    /// <summary>true/false.</summary>
    Boolean,
    /// <summary>16-bit integer.</summary>
    SmallInt,
    /// <summary>32-bit integer.</summary>
    Integer,
    /// <summary>64-bit integer.</summary>
    BigInt,
    /// <summary>32-bit float.</summary>
    Real,
    /// <summary>64-bit float.</summary>
    Double,
    /// <summary>Fixed-point number with precision and scale.</summary>
    Decimal,
    /// <summary>Unbounded UTF-8 text.</summary>
    Text,
    /// <summary>Bytes.</summary>
    Binary,
    /// <summary>Calendar date.</summary>
    Date,
    /// <summary>Time of day.</summary>
    Time,
    /// <summary>Date and time without a zone.</summary>
    Timestamp,
    /// <summary>An instant (stored as UTC).</summary>
    TimestampTz,
    /// <summary>Duration in months, days and microseconds.</summary>
    Interval,
    /// <summary>UUID.</summary>
    Uuid,
    /// <summary>JSON document.</summary>
    Json,
}

/// <summary>A column type; precision and scale only matter for <see cref="ColumnKind.Decimal"/>.</summary>
public sealed record ColumnType(ColumnKind Kind, int Precision = 0, int Scale = 0)
{
    /// <summary>Boolean.</summary>
    public static readonly ColumnType Boolean = new(ColumnKind.Boolean);
    /// <summary>SmallInt.</summary>
    public static readonly ColumnType SmallInt = new(ColumnKind.SmallInt);
    /// <summary>Integer.</summary>
    public static readonly ColumnType Integer = new(ColumnKind.Integer);
    /// <summary>BigInt.</summary>
    public static readonly ColumnType BigInt = new(ColumnKind.BigInt);
    /// <summary>Real.</summary>
    public static readonly ColumnType Real = new(ColumnKind.Real);
    /// <summary>Double.</summary>
    public static readonly ColumnType Double = new(ColumnKind.Double);
    /// <summary>Text.</summary>
    public static readonly ColumnType Text = new(ColumnKind.Text);
    /// <summary>Binary.</summary>
    public static readonly ColumnType Binary = new(ColumnKind.Binary);
    /// <summary>Date.</summary>
    public static readonly ColumnType Date = new(ColumnKind.Date);
    /// <summary>Time.</summary>
    public static readonly ColumnType Time = new(ColumnKind.Time);
    /// <summary>Timestamp.</summary>
    public static readonly ColumnType Timestamp = new(ColumnKind.Timestamp);
    /// <summary>TimestampTz.</summary>
    public static readonly ColumnType TimestampTz = new(ColumnKind.TimestampTz);
    /// <summary>Interval.</summary>
    public static readonly ColumnType Interval = new(ColumnKind.Interval);
    /// <summary>Uuid.</summary>
    public static readonly ColumnType Uuid = new(ColumnKind.Uuid);
    /// <summary>Json.</summary>
    public static readonly ColumnType Json = new(ColumnKind.Json);

    /// <summary>
    /// A decimal without declared precision (PostgreSQL's bare <c>numeric</c>): kept as such where
    /// the engine has one, DECIMAL(38,10) on DuckDB, whose decimals are at most 38 digits.
    /// </summary>
    public static readonly ColumnType Numeric = new(ColumnKind.Decimal);

    /// <summary>True for <see cref="Numeric"/>, a decimal without declared precision.</summary>
    public bool IsUnboundedDecimal => Kind == ColumnKind.Decimal && Precision == 0;

    /// <summary>A DECIMAL(precision, scale).</summary>
    public static ColumnType Decimal(int precision, int scale)
    {
        if (precision is < 1 or > 38 || scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), $"DECIMAL({precision},{scale}) is not valid: precision must be 1 to 38 and scale 0 to precision.");
        }

        return new ColumnType(ColumnKind.Decimal, precision, scale);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ColumnKind.Decimal when IsUnboundedDecimal => "numeric",
        ColumnKind.Decimal => $"decimal({Precision},{Scale})",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
