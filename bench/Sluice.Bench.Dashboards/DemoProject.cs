using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// The ApplyLens example with generated data, written and built by <c>sluice demo --no-serve</c>
/// in a folder of its own: the project the dashboard benchmark serves.
/// </summary>
internal static class DemoProject
{
    /// <summary>Runs the demo into <paramref name="directory"/> and returns how long it took.</summary>
    public static async Task<TimeSpan> PrepareAsync(string sluiceDll, string directory, int days) =>
        (await SluiceCommand.RunAsync(sluiceDll, "demo", "--no-serve", "--dir", directory, "--days", days.ToString(CultureInfo.InvariantCulture))).Elapsed;

    /// <summary>The demo's last day of data: it generates days up to yesterday (UTC).</summary>
    public static DateOnly LastDay => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
}
