using System.Globalization;
using System.Text.RegularExpressions;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Dashboards;

/// <summary>Reads a panel's thresholds: <c>[{value: 300, label: SLO 300 s, color: red}]</c>, or bare numbers.</summary>
internal static partial class ThresholdReader
{
    private static readonly Dictionary<string, string> Named = new(StringComparer.Ordinal)
    {
        ["red"] = "#d62728",
        ["orange"] = "#ff7f0e",
        ["yellow"] = "#e6b400",
        ["green"] = "#2ca02c",
        ["blue"] = "#1f77b4",
        ["purple"] = "#9467bd",
        ["gray"] = "#7f7f7f",
        ["grey"] = "#7f7f7f",
        ["black"] = "#000000",
    };

    public static IReadOnlyList<Threshold> Read(ConfigFile file, YamlNode node, string what)
    {
        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node, $"{what}: thresholds must be a list such as `[{{value: 300, label: SLO, color: red}}]`.");
        }

        return [.. list.Children.Select(item => ReadOne(file, item, what))];
    }

    private static Threshold ReadOne(ConfigFile file, YamlNode node, string what)
    {
        if (node is YamlScalarNode)
        {
            return new Threshold(Number(file, node, what), null, Named["red"]);
        }

        var entries = file.ReadMapping(node, $"{what}: a threshold", ["value", "label", "color"]);
        var value = entries.TryGetValue("value", out var v) ? Number(file, v.Value, what) : throw file.Error(node, $"{what}: a threshold needs value: where the line is drawn.");
        var label = entries.TryGetValue("label", out var l) ? file.ReadString(l.Value, $"{what}: label") : null;
        var color = entries.TryGetValue("color", out var c) ? Color(file, c.Value, what) : Named["red"];
        return new Threshold(value, label, color);
    }

    private static double Number(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, $"{what}: threshold value");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw file.Error(node, $"{what}: a threshold's value must be a number, not '{text}'.");
    }

    private static string Color(ConfigFile file, YamlNode node, string what)
    {
        var text = file.ReadString(node, $"{what}: color");
        if (Named.TryGetValue(text, out var hex))
        {
            return hex;
        }

        return HexPattern().IsMatch(text)
            ? text.ToLowerInvariant()
            : throw file.Error(node, $"{what}: color must be #rrggbb or one of {string.Join(", ", Named.Keys)}, not '{text}'.");
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexPattern();
}
