using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Dashboards;

/// <summary>Reads a panel's view options; the panel's reader has already refused those its type does not take.</summary>
internal static class PanelOptionsReader
{
    public const int MaxPageSize = 1000;

    public static PanelOptions Read(ConfigFile file, IReadOnlyDictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> entries, string what)
    {
        bool Flag(string key) => entries.TryGetValue(key, out var e) && ConfigValues.Bool(file, e.Value, $"{what}: {key}");
        string? Text(string key) => entries.TryGetValue(key, out var e) ? file.ReadString(e.Value, $"{what}: {key}") : null;
        int? Int(string key, int min, int max) => entries.TryGetValue(key, out var e) ? file.ReadInt(e.Value, $"{what}: {key}", min, max) : null;
        return new PanelOptions(
            Stack: Flag("stack"),
            Donut: Flag("donut"),
            Compare: Flag("compare"),
            Sparkline: Flag("sparkline"),
            Unit: entries.TryGetValue("unit", out var unit) && unit.Value is YamlScalarNode { Value: "" } ? null : Text("unit"),
            Decimals: Int("decimals", 0, 10),
            PageSize: Int("page_size", 1, MaxPageSize),
            OrderBy: Text("order_by"),
            Columns: entries.TryGetValue("columns", out var columns) ? ConfigValues.Names(file, columns.Value, $"{what}: columns") : null);
    }
}
