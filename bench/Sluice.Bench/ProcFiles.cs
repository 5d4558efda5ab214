using System.Globalization;

namespace Sluice.Bench;

/// <summary>
/// Reads Linux /proc files. Elsewhere the files are missing and every figure is null, so
/// callers fall back to what .NET reports or leave the figure out.
/// </summary>
internal static class ProcFiles
{
    public static string? Field(string path, string name)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual(name))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>A field such as "VmRSS:  123456 kB", in bytes.</summary>
    public static long? Kilobytes(string path, string name)
    {
        var value = Field(path, name);
        if (value is null || !value.EndsWith(" kB", StringComparison.Ordinal))
        {
            return null;
        }

        return long.TryParse(value.AsSpan(0, value.Length - 3), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;
    }

    /// <summary>The 1, 5 and 15 minute load averages, such as "0.52 0.31 0.20".</summary>
    public static string? LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)) : null;
    }
}
