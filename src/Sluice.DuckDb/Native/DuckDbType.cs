namespace Sluice.DuckDb;

/// <summary>DuckDB's physical/logical type ids (duckdb_type in duckdb.h).</summary>
public enum DuckDbType
{
    /// <summary>No type.</summary>
    Invalid = 0,
    /// <summary>bool.</summary>
    Boolean = 1,
    /// <summary>int8.</summary>
    TinyInt = 2,
    /// <summary>int16.</summary>
    SmallInt = 3,
    /// <summary>int32.</summary>
    Integer = 4,
    /// <summary>int64.</summary>
    BigInt = 5,
    /// <summary>uint8.</summary>
    UTinyInt = 6,
    /// <summary>uint16.</summary>
    USmallInt = 7,
    /// <summary>uint32.</summary>
    UInteger = 8,
    /// <summary>uint64.</summary>
    UBigInt = 9,
    /// <summary>float.</summary>
    Float = 10,
    /// <summary>double.</summary>
    Double = 11,
    /// <summary>Microseconds since the epoch.</summary>
    Timestamp = 12,
    /// <summary>Days since the epoch.</summary>
    Date = 13,
    /// <summary>Microseconds since midnight.</summary>
    Time = 14,
    /// <summary>Months, days and microseconds.</summary>
    Interval = 15,
    /// <summary>128-bit signed integer.</summary>
    HugeInt = 16,
    /// <summary>UTF-8 string.</summary>
    Varchar = 17,
    /// <summary>Bytes.</summary>
    Blob = 18,
    /// <summary>Fixed-point decimal.</summary>
    Decimal = 19,
    /// <summary>Seconds since the epoch.</summary>
    TimestampS = 20,
    /// <summary>Milliseconds since the epoch.</summary>
    TimestampMs = 21,
    /// <summary>Nanoseconds since the epoch.</summary>
    TimestampNs = 22,
    /// <summary>Dictionary-encoded string.</summary>
    Enum = 23,
    /// <summary>Variable-length list.</summary>
    List = 24,
    /// <summary>Named fields.</summary>
    Struct = 25,
    /// <summary>Key/value pairs.</summary>
    Map = 26,
    /// <summary>128-bit UUID.</summary>
    Uuid = 27,
    /// <summary>Tagged union.</summary>
    Union = 28,
    /// <summary>Bit string.</summary>
    Bit = 29,
    /// <summary>Time of day with a UTC offset.</summary>
    TimeTz = 30,
    /// <summary>Microseconds since the epoch, shown in the session time zone.</summary>
    TimestampTz = 31,
    /// <summary>128-bit unsigned integer.</summary>
    UHugeInt = 32,
    /// <summary>Fixed-length list.</summary>
    Array = 33,
    /// <summary>Any type (functions only).</summary>
    Any = 34,
    /// <summary>Arbitrary-precision integer.</summary>
    BigNum = 35,
    /// <summary>The type of a bare NULL.</summary>
    SqlNull = 36,
    /// <summary>String literal (binding only).</summary>
    StringLiteral = 37,
    /// <summary>Integer literal (binding only).</summary>
    IntegerLiteral = 38,
    /// <summary>Nanoseconds since midnight.</summary>
    TimeNs = 39,
    /// <summary>Well-known-binary geometry.</summary>
    Geometry = 40,
    /// <summary>Semi-structured variant.</summary>
    Variant = 41,
}
