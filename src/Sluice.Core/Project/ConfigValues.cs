using System.Globalization;
using Sluice.Core.Models;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Project;

/// <summary>Reads typed settings of configuration files (checks, metrics, serve), with errors at their line.</summary>
public static class ConfigValues
{
    /// <summary>true or false.</summary>
    public static bool Bool(ConfigFile file, YamlNode node, string key) =>
        node is YamlScalarNode scalar && YamlValues.Scalar(scalar) is bool value
            ? value
            : throw file.Error(node, $"{key} must be true or false.");

    /// <summary>A number from 0 to 1, such as mostly's 0.95.</summary>
    public static double Fraction(ConfigFile file, YamlNode node, string key)
    {
        var value = node is YamlScalarNode scalar
            ? YamlValues.Scalar(scalar) switch
            {
                long whole => whole,
                double number => number,
                string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => double.NaN,
            }
            : double.NaN;
        return value is >= 0 and <= 1
            ? value
            : throw file.Error(node, $"{key} must be a fraction from 0 to 1, such as 0.95 (95% of the rows), not '{(node as YamlScalarNode)?.Value ?? "a list or mapping"}'.");
    }

    /// <summary>A duration: <c>24h</c>, <c>30m</c>, <c>7d</c>, or dbt's <c>{count: 12, period: hour}</c>.</summary>
    public static TimeSpan Duration(ConfigFile file, YamlNode node, string key)
    {
        if (node is YamlMappingNode)
        {
            var entries = file.ReadMapping(node, key, ["count", "period"]);
            if (!entries.TryGetValue("count", out var count) || !entries.TryGetValue("period", out var period))
            {
                throw file.Error(node, $"{key} needs count and period, such as `{{count: 12, period: hour}}`.");
            }

            var amount = file.ReadInt(count.Value, $"{key}.count", 1);
            return file.ReadString(period.Value, $"{key}.period") switch
            {
                "minute" => TimeSpan.FromMinutes(amount),
                "hour" => TimeSpan.FromHours(amount),
                "day" => TimeSpan.FromDays(amount),
                var other => throw file.Error(period.Value, $"{key}.period must be minute, hour or day, not '{other}'."),
            };
        }

        var text = file.ReadString(node, key);
        return Durations.TryParse(text) is { } duration && duration > TimeSpan.Zero
            ? duration
            : throw file.Error(node, $"{key} must be a duration such as 30m, 24h or 7d, not '{text}'.");
    }

    /// <summary>One name or a non-empty list of names.</summary>
    public static IReadOnlyList<string> Names(ConfigFile file, YamlNode node, string key) => node switch
    {
        YamlScalarNode => [file.ReadString(node, key)],
        YamlSequenceNode { Children.Count: > 0 } list => list.Select(item => file.ReadString(item, key)).ToList(),
        _ => throw file.Error(node, $"{key} must be a name or a non-empty list of names."),
    };
}
