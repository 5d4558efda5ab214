namespace Sluice.DuckDb.Data;

/// <summary>Conversions between .NET ticks and DuckDB's epoch-based units.</summary>
internal static class TimeUnits
{
    /// <summary>
    /// Division rounding toward negative infinity: an instant before 1970 must land in the unit
    /// that contains it (23:59:59.5 on 1969-12-31 is in second 23:59:59, not 00:00:00).
    /// </summary>
    public static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
