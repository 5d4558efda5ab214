using System.Globalization;
using Sluice.Warehouses.Values;

namespace Sluice.Server.Queries;

/// <summary>Values read from the warehouse as the API's JSON writes them: numbers, text and booleans as themselves, everything else in its ISO or text form.</summary>
internal static class ApiValues
{
    /// <summary>A value JSON serialization writes faithfully; JSON has no NaN or infinity, so those become null.</summary>
    public static object? From(object? value) => value switch
    {
        null or DBNull => null,
        double d => double.IsFinite(d) ? d : null,
        float f => float.IsFinite(f) ? f : null,
        string or bool or int or long or short or decimal => value,
        Int128 big => big >= long.MinValue && big <= long.MaxValue ? (long)big : big.ToString(CultureInfo.InvariantCulture),
        _ => ValueText.Format(value),
    };
}
