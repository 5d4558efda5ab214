using System.Globalization;

namespace Sluice.Operate.Export;

/// <summary>The days from <paramref name="From"/> to <paramref name="To"/>, both included.</summary>
/// <param name="From">The first day.</param>
/// <param name="To">The last day.</param>
public sealed record DayRange(DateOnly From, DateOnly To)
{
    /// <summary>The day as the export's SQL and summary write it.</summary>
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"{Text(From)} to {Text(To)}";
}
