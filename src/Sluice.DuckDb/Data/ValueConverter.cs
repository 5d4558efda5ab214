using System.Globalization;

namespace Sluice.DuckDb.Data;

/// <summary>Converts a value read from DuckDB to the type a caller asked for.</summary>
internal static class ValueConverter
{
    public static T To<T>(object value)
    {
        if (value is T same)
        {
            return same;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)ConvertTo(value, target);
    }

    private static object ConvertTo(object value, Type target) => (value, target) switch
    {
        (DateOnly d, _) when target == typeof(DateTime) => d.ToDateTime(TimeOnly.MinValue),
        (DateTime t, _) when target == typeof(DateOnly) => DateOnly.FromDateTime(t),
        (DateTime t, _) when target == typeof(DateTimeOffset) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        (TimeOnly t, _) when target == typeof(TimeSpan) => t.ToTimeSpan(),
        (DuckDbInterval i, _) when target == typeof(TimeSpan) => i.ToTimeSpan(),
        (string s, _) when target == typeof(Guid) => Guid.Parse(s),
        (Guid g, _) when target == typeof(string) => g.ToString(),
        (Int128 h, _) when target == typeof(decimal) => (decimal)h,
        (Int128 h, _) when target == typeof(long) => checked((long)h),
        (Int128 h, _) when target == typeof(double) => (double)h,
        (UInt128 h, _) when target == typeof(decimal) => (decimal)h,
        (UInt128 h, _) when target == typeof(ulong) => checked((ulong)h),
        (_, _) when target == typeof(string) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        (_, _) when target.IsEnum => Enum.ToObject(target, System.Convert.ChangeType(value, Enum.GetUnderlyingType(target), CultureInfo.InvariantCulture)),
        _ => System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
    };
}
