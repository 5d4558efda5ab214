using System.Globalization;
using Sluice.Core.Warehouse;

namespace Sluice.Server.Queries;

/// <summary>
/// What every query of a request is limited to: a range of days, inclusive at both ends, and
/// the caller's tenant when the caller is scoped to one.
/// </summary>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
/// <param name="Tenant">The tenant's value of the tenant column, or null for an unscoped caller.</param>
internal sealed record QueryScope(DateOnly From, DateOnly To, string? Tenant)
{
    /// <summary>The SQL condition placing <paramref name="time"/> in the range, with its bounds as parameters.</summary>
    public string TimeCondition(ISqlDialect dialect, ColumnSpec time, SqlParameters parameters)
    {
        var column = dialect.Quote(time.Name);
        return $"{column} >= {parameters.Add(Bound(From, time.Type.Kind))} and {column} < {parameters.Add(Bound(To.AddDays(1), time.Type.Kind))}";
    }

    /// <summary>The tenant condition on <paramref name="tenant"/>, or null when the caller sees every tenant.</summary>
    public string? TenantCondition(ISqlDialect dialect, ColumnSpec? tenant, SqlParameters parameters) =>
        TenantCondition(dialect, tenant, Tenant, parameters);

    /// <summary>The condition keeping the rows of <paramref name="tenantValue"/>, or null when the caller sees every tenant (<paramref name="tenantValue"/> null).</summary>
    public static string? TenantCondition(ISqlDialect dialect, ColumnSpec? tenant, string? tenantValue, SqlParameters parameters)
    {
        if (tenantValue is null)
        {
            return null;
        }

        if (tenant is null)
        {
            throw new InvalidOperationException("A tenant-scoped query reached a relation without a tenant column.");
        }

        // A tenant that is no value of the column's type owns no rows there.
        return ColumnText.TryParse(tenant, tenantValue) is { } value ? $"{dialect.Quote(tenant.Name)} = {parameters.Add(value)}" : "1 = 0";
    }

    /// <summary>The range as the API reports it.</summary>
    public (string From, string To) Text => (Day(From), Day(To));

    /// <summary>The scope as a cache key writes it.</summary>
    public string Key => $"{Day(From)}..{Day(To)}@{(Tenant is null ? "*" : CacheKey.Escape(Tenant))}";

    /// <summary>A day read from the warehouse, which engines return as a date or a timestamp.</summary>
    public static DateOnly AsDay(object value) => value is DateOnly day ? day : DateOnly.FromDateTime(Convert.ToDateTime(value, CultureInfo.InvariantCulture));

    /// <summary>A day as the API writes it.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Midnight of <paramref name="day"/> in the column's own type: engines then compare without casting the column.</summary>
    public static object Bound(DateOnly day, ColumnKind kind) => kind switch
    {
        ColumnKind.Date => day,
        ColumnKind.Timestamp => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified),
        _ => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
    };
}
