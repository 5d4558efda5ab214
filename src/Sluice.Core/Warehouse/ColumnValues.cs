namespace Sluice.Core.Warehouse;

/// <summary>How a CLR value is meant when it goes into a column of a given kind.</summary>
public static class ColumnValues
{
    /// <summary>
    /// A DateTime is an instant in a timestamptz column (Local converted, Unspecified taken as
    /// UTC) and a wall-clock time in a timestamp column. Binding and loading values in this form
    /// keeps engines from shifting them by the session's time zone. Other values pass unchanged.
    /// </summary>
    public static object ForColumn(object value, ColumnKind kind) => (kind, value) switch
    {
        (ColumnKind.TimestampTz, DateTime { Kind: DateTimeKind.Local } t) => t.ToUniversalTime(),
        (ColumnKind.TimestampTz, DateTime { Kind: DateTimeKind.Unspecified } t) => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        (ColumnKind.TimestampTz, DateTimeOffset t) => t.UtcDateTime,
        (ColumnKind.Timestamp, DateTime { Kind: not DateTimeKind.Unspecified } t) => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
        _ => value,
    };
}
