using Sluice.Server.Http;

namespace Sluice.Server.Queries;

/// <summary>The <c>from</c> and <c>to</c> parameters: days, inclusive; by default the 90 days up to today.</summary>
internal static class DateRange
{
    /// <summary>Days covered when <c>from</c> is not given.</summary>
    public const int DefaultDays = 90;

    /// <summary>The longest range accepted, about a hundred years.</summary>
    public const int MaxDays = 36_600;

    /// <summary>Reads <c>from</c> and <c>to</c> into a scope for <paramref name="tenant"/>.</summary>
    public static QueryScope Read(RequestParameters parameters, string? tenant, DateOnly today)
    {
        var to = parameters.Date("to") ?? today;
        var from = parameters.Date("from") ?? DateOnly.FromDayNumber(Math.Max(0, to.DayNumber + 1 - DefaultDays));
        if (to == DateOnly.MaxValue)
        {
            throw ApiProblem.BadParameter("to", "'to' must be before 9999-12-31.");
        }

        if (from > to)
        {
            throw ApiProblem.BadParameter("from", $"'from' ({QueryScope.Day(from)}) is after 'to' ({QueryScope.Day(to)}).");
        }

        return to.DayNumber - from.DayNumber < MaxDays
            ? new QueryScope(from, to, tenant)
            : throw ApiProblem.BadParameter("from", $"the range from {QueryScope.Day(from)} to {QueryScope.Day(to)} is longer than {MaxDays} days; narrow it.");
    }
}
