using System.Globalization;

namespace Sluice.Web.Tests.Api;

/// <summary>A dashboard's time range: its first and last day, both included.</summary>
public sealed record DayRange(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The range of equal length just before this one (a number panel's comparison).</summary>
    public DayRange Previous => new(From.AddDays(-Days), From.AddDays(-1));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override string ToString() => $"{Day(From)}..{Day(To)}";
}
