using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// How figures are spelled, shared by the console and the markdown so that both say the same
/// thing. Always invariant: the markdown is committed and diffed.
/// </summary>
internal static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Rate(double rowsPerSecond) => (rowsPerSecond / 1e6).ToString("0.00", Invariant) + " M rows/s";

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", Invariant) + " s";

    public static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", Invariant) + " ms";

    public static string Micros(TimeSpan time) => time.TotalMicroseconds.ToString("0.0", Invariant) + " µs";

    /// <summary>How many times longer the binding took than DuckDB on its own.</summary>
    public static string Ratio(double ratio) => ratio.ToString("0.00", Invariant) + "x";

    public static string Percent(double fraction) => (fraction >= 0 ? "+" : string.Empty) + (fraction * 100).ToString("0.0", Invariant) + " %";

    public static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", Invariant) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.0", Invariant) + " MiB";

    public static string Verdict(bool pass) => pass ? "PASS" : "FAIL";
}
