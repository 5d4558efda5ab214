using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Models;

/// <summary>
/// Turns YAML nodes into the values templates and configs work with: strings, whole numbers
/// (<see cref="long"/>), decimals (<see cref="double"/>), booleans, null, lists and mappings —
/// with YAML 1.2's core schema for plain scalars, as dbt's YAML reader types them.
/// </summary>
public static class YamlValues
{
    /// <summary>The value of <paramref name="node"/>.</summary>
    public static object? From(YamlNode node) => node switch
    {
        YamlScalarNode scalar => Scalar(scalar),
        YamlSequenceNode sequence => sequence.Children.Select(From).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            c => c.Key is YamlScalarNode { Value: { } key } ? key : c.Key.ToString(),
            c => From(c.Value),
            StringComparer.Ordinal),
        _ => null,
    };

    /// <summary>The value of a scalar: quoted scalars are always strings.</summary>
    public static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return text;
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
            _ when IsDecimal(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    // Only what YAML's core schema calls a float: digits with a point or an exponent. .NET's
    // parser would also take "Infinity" or "1,5" in some cultures, which YAML keeps as text.
    private static bool IsDecimal(string text) =>
        text.Length > 0
        && (char.IsAsciiDigit(text[0]) || (text.Length > 1 && text[0] is '-' or '+' or '.' && (char.IsAsciiDigit(text[1]) || text[1] == '.')))
        && text.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+')
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
