using Sluice.Core.Models;
using Sluice.Core.Project;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Checks;

/// <summary>
/// Reads one entry of a <c>tests:</c> list, in any of dbt's forms: a bare name
/// (<c>- not_null</c>), a name with its arguments (<c>- accepted_values: {values: [a, b]}</c>),
/// with the settings beside the arguments or under <c>config:</c>, and the arguments under
/// <c>arguments:</c> as dbt 1.10 writes them. A name that a test macro implements reads as a
/// <see cref="MacroCheck"/> (<see cref="TestMacros"/> says which).
/// </summary>
internal static class CheckEntry
{
    private static readonly string[] CommonKeys = ["name", "severity", "where", "mostly", "store_failures", "tags", "enabled", "description", "meta", "column_name", "config", "arguments"];

    private static readonly string[] ConfigKeys = ["severity", "where", "mostly", "store_failures", "tags", "enabled", "meta", "alias"];

    // Checks that packages provide under a namespace read as Sluice's own.
    private static readonly string[] Packages = ["dbt_utils.", "dbt."];

    /// <summary>The check <paramref name="item"/> declares, or null when it is disabled.</summary>
    public static (CheckDefinition Check, string? GivenName, YamlNode? At)? Read(ConfigFile file, YamlNode item, RelationReference target, string? column, ParsedProject project)
    {
        var (typeNode, type, argsNode) = item switch
        {
            YamlScalarNode { Value: { Length: > 0 } name } scalar => (scalar, name, (YamlNode?)null),
            YamlMappingNode { Children.Count: 1 } mapping when mapping.Children[0].Key is YamlScalarNode { Value: { } key } keyNode => (keyNode, key, mapping.Children[0].Value),
            _ => throw file.Error(item, "each check is a name (`- not_null`) or a name with its arguments (`- accepted_values: {values: [a, b]}`)."),
        };
        var package = target.IsSource ? null : project.Nodes.GetValueOrDefault(target.Model!)?.Package;
        if (TestMacros.Resolve(file, typeNode, type, project, package) is { } macro)
        {
            return MacroCheckEntry.Read(file, item, typeNode, type, argsNode, macro, target, column, project);
        }

        type = CheckType(type);
        if (!CheckTypes.All.TryGetValue(type, out var spec))
        {
            var tests = TestMacros.ProjectTests(project).ToList();
            throw file.Error(typeNode, $"unknown check '{type}' on {Describe(target, column)}; the checks are {string.Join(", ", CheckTypes.All.Keys)}"
                + (tests.Count == 0 ? string.Empty : $", and the project's generic tests {string.Join(", ", tests)}")
                + $" (or a generic test written as a macro, {{% test {type}(model, column_name) %}}, in macros/ or tests/generic/; a package's as `dbt_utils.at_least_one`).");
        }

        var args = Arguments(file, argsNode, type, spec);
        if (args.TryGetValue("column_name", out var columnNode))
        {
            if (column is not null)
            {
                throw file.Error(columnNode, $"column_name is given on a check that is declared under the column '{column}'; remove it.");
            }

            column = file.ReadString(columnNode, "column_name");
        }

        var what = $"'{type}' on {Describe(target, column)}";
        switch (spec.Column)
        {
            case ColumnUse.Required when column is null:
                throw file.Error(typeNode, $"{what} needs a column: declare it under the column's tests:, or add `column_name: …`.");
            case ColumnUse.None when column is not null:
                throw file.Error(typeNode, $"{what} checks the table as a whole; declare it under the {(target.IsSource ? "table" : "model")}'s tests:, not under a column.");
        }

        if (type == "parity" && !target.IsSource)
        {
            throw file.Error(typeNode, $"{what}: parity compares a synced table with its source database, so it belongs on a source table (sources: → tables: → tests:).");
        }

        if (args.TryGetValue("enabled", out var enabledNode) && !ConfigValues.Bool(file, enabledNode, "enabled"))
        {
            return null;
        }

        var reads = new List<RelationReference> { target };
        var kind = CheckTypes.Build(type, new CheckArguments(file, args, what, project, reads, typeNode));
        if (kind is null)
        {
            return null;
        }

        double? mostly = null;
        if (args.TryGetValue("mostly", out var mostlyNode))
        {
            if (!kind.CountsRows)
            {
                throw file.Error(mostlyNode, $"{what}: mostly applies to checks that count rows; '{type}' checks the table as a whole, so remove mostly.");
            }

            mostly = ConfigValues.Fraction(file, mostlyNode, "mostly");
        }

        var severity = CheckSeverity.Error;
        if (args.TryGetValue("severity", out var severityNode))
        {
            var text = file.ReadString(severityNode, "severity");
            severity = CheckValues.Severity(text) ?? throw file.Error(severityNode, $"severity must be 'warn' or 'error', not '{text}'.");
        }

        return (new CheckDefinition
        {
            Name = string.Empty,
            Kind = kind,
            Target = target,
            Column = column,
            Severity = severity,
            Where = args.TryGetValue("where", out var where) ? file.ReadString(where, "where") : null,
            Mostly = mostly,
            StoreFailures = args.TryGetValue("store_failures", out var store) && ConfigValues.Bool(file, store, "store_failures"),
            Tags = args.TryGetValue("tags", out var tags) ? ConfigValues.Names(file, tags, "tags") : [],
            Reads = reads.Distinct().ToList(),
            File = file.Path,
            Line = (int)item.Start.Line,
        }, args.TryGetValue("name", out var nameNode) ? file.ReadString(nameNode, "name") : null, nameNode ?? item);
    }

    /// <summary>The check type a <c>tests:</c> entry names: its name without a package namespace Sluice reads as its own (<c>dbt_utils.</c>).</summary>
    internal static string CheckType(string written) =>
        Packages.Aggregate(written, (t, prefix) => t.StartsWith(prefix, StringComparison.Ordinal) ? t[prefix.Length..] : t);

    private static string Describe(RelationReference target, string? column) =>
        (target.IsSource ? $"source table {target.DisplayName}" : $"'{target.Model}'") + (column is null ? string.Empty : $", column '{column}'");

    // The arguments and settings of one check, from wherever dbt's forms put them.
    private static Dictionary<string, YamlNode> Arguments(ConfigFile file, YamlNode? node, string type, CheckSpec spec)
    {
        var args = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is null or YamlScalarNode { Value: null or "" })
        {
            return args;
        }

        var allowed = CommonKeys.Concat(spec.Keys).ToList();
        foreach (var (key, value) in file.ReadMapping(node, $"the check '{type}'", allowed))
        {
            if (key is "config" or "arguments")
            {
                var inner = file.ReadMapping(value.Value, $"{key} of the check '{type}'", key == "config" ? ConfigKeys : [.. spec.Keys, "column_name"]);
                foreach (var (innerKey, innerValue) in inner)
                {
                    Add(file, args, innerKey, innerValue.Value);
                }
            }
            else
            {
                Add(file, args, key, value.Value);
            }
        }

        return args;
    }

    private static void Add(ConfigFile file, Dictionary<string, YamlNode> args, string key, YamlNode value)
    {
        if (!args.TryAdd(key, value))
        {
            throw file.Error(value, $"'{key}' is given twice for this check (beside the arguments and under config: or arguments:); keep one.");
        }
    }
}
